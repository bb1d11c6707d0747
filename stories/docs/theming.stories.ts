import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import '../../components/heatmap/define.js';
import '../../components/kpi-card/define.js';
import type { MetricResult } from '../../src/engine/types.js';
import { L, basis, look, months, quality } from '../support.js';
import { defineStoryTokens } from './tokens-table.js';

defineStoryTokens();

const KPI: MetricResult = {
  data: [{ value: 5.6e8, comparison: 5.0e8, delta: 0.6e8, deltaPct: 0.12, target: 6e8, attainment: 0.9333 }],
  basis: basis('kpi', L('放款金额', 'Disbursed amount'), L('Σ 本金（当月）', 'Σ principal (this month)')),
  quality: quality(1200),
  meta: { sparkline: months(12).map((period, i) => ({ period, value: (3 + i * 0.22 + 0.2 * Math.sin(i)) * 1e8 })) },
};
const HEAT: MetricResult = (() => {
  const data = [];
  for (let y = 1; y <= 7; y++)
    for (let x = 8; x <= 21; x++) data.push({ x, y, value: Math.round((0.2 + (x >= 18 ? 0.12 : 0) + (y >= 6 ? 0.08 : 0) + ((x * 7 + y * 3) % 10) / 100) * 1000) / 1000, n: 50 });
  return {
    data,
    basis: basis('heatmap', L('接通率（星期 × 小时）', 'Contact rate (weekday × hour)'), L('ratio(sum(contacted), count())', 'ratio(sum(contacted), count())'), {
      measure: 'ratio',
      options: { x: { field: 'action_time', part: 'hour' }, y: { field: 'action_time', part: 'dow' } },
    }),
    quality: quality(4900),
  };
})();

/** Every `--fin-*` token, and a live preview restyled by token overrides. */
const meta: Meta = {
  title: 'Docs/Theming',
  tags: ['!autodocs'],
  parameters: { layout: 'padded' },
};
export default meta;
type Story = StoryObj;

export const Tokens: Story = {
  render: () => html`<div style="background:#fff;padding:12px;border-radius:8px"><fin-story-tokens></fin-story-tokens></div>`,
};

/**
 * A KPI card and a heatmap restyled by overriding public tokens on a container — the way a host
 * portal applies its brand. Every control below is a `--fin-*` token; clear one to see the default.
 */
export const LivePreview: Story = {
  args: {
    '--fin-color-accent': '#6d28d9',
    '--fin-color-bg': '#fdfcff',
    '--fin-color-border': '#c4b5fd',
    '--fin-radius': '2px',
    '--fin-font-family': "Georgia, 'Noto Serif CJK SC', 'WenQuanYi Micro Hei', serif",
    '--fin-scheme-sequential': 'purples',
    '--fin-kpi-card-value-size': '34px',
  },
  argTypes: {
    '--fin-color-accent': { control: 'color' },
    '--fin-color-bg': { control: 'color' },
    '--fin-color-border': { control: 'color' },
    '--fin-radius': { control: 'text' },
    '--fin-font-family': { control: 'text' },
    '--fin-scheme-sequential': { control: 'select', options: ['blues', 'purples', 'greens', 'oranges', 'teals', 'viridis', 'tealblues'] },
    '--fin-kpi-card-value-size': { control: 'text' },
  },
  render: (args, ctx) => {
    const { theme, locale } = look(ctx);
    const vars = Object.fromEntries(Object.entries(args).filter(([k, v]) => k.startsWith('--fin-') && v));
    return html`<div style=${styleMap(vars)}>
      <div style="display:grid;grid-template-columns:minmax(220px,1fr) minmax(0,3fr);gap:16px;align-items:start">
        <fin-kpi-card .result=${KPI} heading=${locale === 'zh-CN' ? '放款金额' : 'Disbursed'} format="currency-compact" theme=${theme} locale=${locale}></fin-kpi-card>
        <fin-heatmap .result=${HEAT} theme=${theme} locale=${locale}></fin-heatmap>
      </div>
    </div>`;
  },
};

/** The same pair with no overrides, for comparison (switch the theme in the toolbar). */
export const Defaults: Story = { ...LivePreview, args: {} };
/** Defaults of the dark theme. */
export const DarkDefaults: Story = { ...LivePreview, args: {}, globals: { theme: 'dark' } };
