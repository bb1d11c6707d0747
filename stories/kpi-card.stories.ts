import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/kpi-card/define.js';
import type { MetricResult } from '../src/engine/types.js';
import { engineErrorStory, engineLoader, engineOf, look, sizeArgTypes, usage } from './support.js';

const basis = {
  metric: 'kpi',
  title: { 'zh-CN': '放款金额', 'en-US': 'Disbursed amount' },
  formula: { 'zh-CN': 'Σ 本金（当月）', 'en-US': 'Σ principal (this month)' },
  options: {},
  filters: [],
  exclusions: [],
};
const spark = [3.1, 3.4, 3.2, 3.9, 4.2, 4.0, 4.6, 4.4, 5.1, 5.3, 5.0, 5.6].map((v, i) => ({ period: `2026-${String(i + 1).padStart(2, '0')}`, value: v * 1e8 }));
const result = (over: Partial<Record<string, unknown>> = {}, quality?: MetricResult['quality']): MetricResult => ({
  data: [{ value: 5.6e8, comparison: 5.0e8, delta: 0.6e8, deltaPct: 0.12, target: 6e8, attainment: 0.9333, ...over }],
  basis,
  quality: quality ?? { rows: 1200, used: 1200, excluded: {}, warnings: [] },
  meta: { sparkline: spark },
});

const docs = `\`<fin-kpi-card>\`: a KPI — formatted value (万/亿 in zh-CN), comparison delta with arrow and good/bad colour, target attainment bar and a d3 sparkline; the basis (口径) on demand. \`direction\` decides whether a rise is good; \`color-convention="cn"\` uses the Chinese market colours (red up, green down). Lay several out with \`<fin-kpi-group>\`.

${usage(`
<script type="module">import 'finboard/components/kpi-card';</script>
<fin-kpi-card heading="M1+ 逾期率" format="percent" direction="lower-is-better"></fin-kpi-card>
<script type="module">
  const card = document.querySelector('fin-kpi-card');
  card.engine = engine;   // or card.data = rows (a private engine), or card.result = precomputed
  card.source = 'loan_months';
  card.params = { series: { metric: 'overdue_rate', params: { k: 1 }, value: 'rate' }, direction: 'lower-is-better' };
</script>`)}`;

/**
 * KPI card: value, comparison delta with arrow and good/bad colour, target bar and sparkline.
 * `direction` decides whether a rise is good; `color-convention="cn"` uses red for favourable.
 */
const meta: Meta = {
  title: 'Elements/KPI card',
  component: 'fin-kpi-card',
  tags: ['autodocs'],
  parameters: { docs: { description: { component: docs } } },
  args: { heading: '放款金额', format: 'currency-compact', direction: 'higher-is-better', colorConvention: 'west', width: 280 },
  argTypes: {
    format: { control: 'select', options: ['number', 'compact', 'currency', 'currency-compact', 'percent', 'count'] },
    direction: { control: 'inline-radio', options: ['higher-is-better', 'lower-is-better'] },
    colorConvention: { control: 'inline-radio', options: ['west', 'cn'] },
    width: { control: { type: 'range', min: 160, max: 900, step: 20 } },
  },
  render: (args, ctx) => {
    const { theme, locale } = look(ctx);
    return html`<fin-kpi-card
      style=${`width:${args['width']}px`}
      .result=${args['result'] ?? result()}
      heading=${args['heading']}
      format=${args['format']}
      direction=${args['direction']}
      color-convention=${args['colorConvention']}
      theme=${theme}
      locale=${locale}
    ></fin-kpi-card>`;
  },
};
export default meta;
type Story = StoryObj;

export const Default: Story = {};
export const ChineseConvention: Story = { args: { colorConvention: 'cn' } };
export const LowerIsBetter: Story = {
  args: {
    heading: 'M1+ 逾期率',
    format: 'percent',
    direction: 'lower-is-better',
    result: result({ value: 0.0312, comparison: 0.0288, delta: 0.0024, deltaPct: 0.0833, target: null, attainment: null }),
  },
};
export const Narrow: Story = { args: { width: 160 } };
export const HugeAndTiny: Story = {
  args: { heading: '资产管理规模（超长标题用于测试换行的情况）', result: result({ value: 1.234e13, comparison: 0.0001, delta: 1.234e13, deltaPct: null }) },
};
export const PartialData: Story = {
  args: { result: result({}, { rows: 1200, used: 1170, excluded: { missing_required: 18, unparseable_date: 12 }, warnings: [] }) },
};
export const Empty: Story = { args: { result: { data: [], basis, quality: { rows: 0, used: 0, excluded: {}, warnings: [] }, empty: { 'zh-CN': '所选范围内没有放款', 'en-US': 'No loans issued in the selected range' } } } };
export const ErrorState: Story = { args: { result: { nonsense: true } as unknown as MetricResult } };
export const EngineError: Story = {
  ...engineErrorStory,
  render: (_args, ctx) => {
    const { theme, locale } = look(ctx);
    return html`<fin-kpi-card style="width:280px" .engine=${engineOf(ctx)} heading="放款金额" theme=${theme} locale=${locale}></fin-kpi-card>`;
  },
};
export const DarkEnglish: Story = { globals: { theme: 'dark', locale: 'en-US' }, args: { heading: 'Disbursed amount', colorConvention: 'cn' } };
export const Loading: Story = {
  render: (_args, ctx) => {
    const { theme, locale } = look(ctx);
    // An engine that never answers keeps the card in its loading state.
    const engine = { placement: 'thread', query: () => new Promise(() => {}) } as never;
    return html`<fin-kpi-card data-story="loading" style="width:280px" .engine=${engine} heading="放款金额" theme=${theme} locale=${locale}></fin-kpi-card>`;
  },
};
export const FromSampleData: Story = {
  loaders: [engineLoader],
  argTypes: { ...sizeArgTypes },
  render: (_args, ctx) => {
    const { theme, locale } = look(ctx);
    const engine = ctx.loaded['engine'];
    return html`<fin-kpi-group min-card-width="220px">
      <fin-kpi-card .engine=${engine} heading=${locale === 'zh-CN' ? 'M1+ 逾期率' : 'M1+ overdue rate'} format="percent" direction="lower-is-better"
        .params=${{ series: { metric: 'overdue_rate', params: { k: 1 }, value: 'rate' }, direction: 'lower-is-better' }} theme=${theme} locale=${locale}></fin-kpi-card>
      <fin-kpi-card .engine=${engine} source="loans" heading=${locale === 'zh-CN' ? '放款金额' : 'Disbursed'} format="currency-compact"
        .params=${{ measure: { agg: 'sum', field: 'principal' }, sparkline: { unit: 'month', points: 12 } }} theme=${theme} locale=${locale}></fin-kpi-card>
      <fin-kpi-card .engine=${engine} source="collection_actions" heading=${locale === 'zh-CN' ? '催回金额' : 'Recovered'} format="currency-compact"
        .params=${{ measure: { agg: 'sum', field: 'paid_amount' }, target: 2000000, sparkline: { unit: 'month', points: 12 } }} theme=${theme} locale=${locale}></fin-kpi-card>
    </fin-kpi-group>`;
  },
};
