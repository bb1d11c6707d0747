import type { Meta, StoryContext, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/dashboard/define.js';
import '../components/heatmap/define.js';
import '../components/kpi-card/define.js';
import '../components/table/define.js';
import type { TableColumn } from '../components/table/table.js';
import { L, engineLoader, look, sizeArgTypes, tr, usage } from './support.js';

const CHANNEL_COLUMNS: TableColumn[] = [
  { key: 'channel', label: L('渠道', 'Channel') },
  { key: 'actions', label: L('行动次数', 'Actions'), format: 'count' },
  { key: 'contactRate', label: L('接通率', 'Contact rate'), format: 'percent' },
  { key: 'recovered', label: L('催回金额', 'Recovered'), format: 'currency-compact', bar: true },
];

const docs = `Linkage without a dashboard: Finboard elements embedded independently — one rendered by a React portal, one in plain HTML — cross-filter through DOM events alone. Elements sharing a \`group\` attribute (or placed inside \`<fin-link group="…">\`) listen for each other's \`fin-select\` events and add the selection as a filter to their own query.

In these stories the channel table is clicked once on load (its first row): the heatmap and the KPI card are then filtered to that channel. Click another row, or the same row again to clear.

${usage(`
<script type="module">import 'finboard/components';</script>
<!-- anywhere on the page -->
<fin-table group="collection" metric="channel_effectiveness" source="collection_actions" select-field="channel"></fin-table>
<!-- … elsewhere, e.g. rendered by another framework -->
<fin-heatmap group="collection" preset="contact-rate-weekday-hour"></fin-heatmap>

<!-- or wrap them -->
<fin-link group="collection">
  <fin-kpi-card …></fin-kpi-card>
  <fin-heatmap …></fin-heatmap>
</fin-link>`)}`;

/** Click the first row of the channel table (what a user does first). */
async function selectFirstChannel({ canvasElement }: { canvasElement: HTMLElement }): Promise<void> {
  const table = canvasElement.querySelector('fin-table') as (HTMLElement & { renderState?: string; updateComplete?: Promise<unknown> }) | null;
  if (!table) return;
  for (let i = 0; i < 200 && table.renderState !== 'ok' && table.renderState !== 'partial'; i++) await new Promise((r) => setTimeout(r, 50));
  await table.updateComplete;
  table.shadowRoot?.querySelector<HTMLElement>('tbody tr')?.click();
}

const widgets = (ctx: StoryContext, group: string | null) => {
  const { theme, locale } = look(ctx);
  const engine = ctx.loaded['engine'];
  const g = group ?? '';
  return {
    table: html`<fin-table group=${g} .engine=${engine} metric="channel_effectiveness" source="collection_actions" select-field="channel" .columns=${CHANNEL_COLUMNS}
      heading=${tr(ctx, '渠道效果（点击一行联动）', 'Channel effectiveness (click a row)')} theme=${theme} locale=${locale}></fin-table>`,
    heatmap: html`<fin-heatmap group=${g} .engine=${engine} preset="contact-rate-weekday-hour" heading=${tr(ctx, '接通率（星期 × 小时）', 'Contact rate (weekday × hour)')} theme=${theme} locale=${locale}></fin-heatmap>`,
    kpi: html`<fin-kpi-card group=${g} .engine=${engine} source="collection_actions" heading=${tr(ctx, '催回金额', 'Recovered')} format="currency-compact"
      .params=${{ measure: { agg: 'sum', field: 'paid_amount' }, sparkline: { unit: 'month', points: 12 } }} theme=${theme} locale=${locale}></fin-kpi-card>`,
  };
};

const region = (label: string, body: unknown) =>
  html`<section aria-label=${label} style="border:1px dashed #8a94a3;border-radius:8px;padding:8px;display:grid;gap:12px;align-content:start">
    <p style="margin:0;font:12px system-ui;color:inherit">${label}</p>
    ${body}
  </section>`;

const meta: Meta = {
  title: 'Dashboards/Linked widgets',
  component: 'fin-link',
  tags: ['autodocs'],
  parameters: { docs: { description: { component: docs } } },
  loaders: [engineLoader],
  argTypes: { ...sizeArgTypes },
};
export default meta;
type Story = StoryObj;

/** Two independently embedded areas of a host page, linked by the `group` attribute only. */
export const GroupAttribute: Story = {
  render: (_args, ctx) => {
    const w = widgets(ctx, 'collection');
    return html`<div style="display:grid;grid-template-columns:minmax(0,2fr) minmax(0,3fr);gap:16px;color:${look(ctx).theme === 'dark' ? '#e5e7eb' : '#1f2937'}">
      ${region(tr(ctx, '宿主页面区域 A（例如 React 渲染）', 'Host area A (e.g. rendered by React)'), html`${w.table}${w.kpi}`)}
      ${region(tr(ctx, '宿主页面区域 B（纯 HTML）', 'Host area B (plain HTML)'), w.heatmap)}
    </div>`;
  },
  play: selectFirstChannel,
};

/** The same widgets wrapped in `<fin-link group="collection-2">`: no attribute on the elements. */
export const FinLinkWrapper: Story = {
  render: (_args, ctx) => {
    const w = widgets(ctx, null);
    return html`<fin-link group="collection-2">
      <div style="display:grid;grid-template-columns:minmax(0,2fr) minmax(0,3fr);gap:16px">
        <div style="display:grid;gap:12px;align-content:start">${w.table}${w.kpi}</div>
        ${w.heatmap}
      </div>
    </fin-link>`;
  },
  play: selectFirstChannel,
};
