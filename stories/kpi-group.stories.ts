import type { Meta, StoryContext, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/kpi-card/define.js';
import type { MetricResult } from '../src/engine/types.js';
import { BROKEN_RESULT, L, basis, box, emptyResult, engineLoader, look, months, neverEngine, quality, sizeArgTypes, tr, usage, widthArgTypes } from './support.js';

const spark = (base: number, step: number) => months(12).map((period, i) => ({ period, value: base + step * i + base * 0.05 * Math.sin(i) }));
function kpi(title: [string, string], value: number | null, comparison: number | null, target: number | null, base: number, step: number): MetricResult {
  const delta = value !== null && comparison !== null ? value - comparison : null;
  return {
    data: [{ value, comparison, delta, deltaPct: delta !== null && comparison ? delta / comparison : null, target, attainment: target && value !== null ? value / target : null }],
    basis: basis('kpi', L(...title), L('本月合计，对比上月', 'This month vs last month')),
    quality: quality(1200),
    meta: { sparkline: spark(base, step) },
  };
}
const CARDS: Array<{ heading: [string, string]; format: string; direction?: string; result: MetricResult }> = [
  { heading: ['放款金额', 'Disbursed'], format: 'currency-compact', result: kpi(['放款金额', 'Disbursed'], 5.6e8, 5.0e8, 6e8, 3e8, 2.2e7) },
  { heading: ['M1+ 逾期率', 'M1+ overdue rate'], format: 'percent', direction: 'lower-is-better', result: kpi(['M1+ 逾期率', 'M1+ overdue rate'], 0.0312, 0.0288, null, 0.025, 0.0006) },
  { heading: ['催回金额', 'Recovered'], format: 'currency-compact', result: kpi(['催回金额', 'Recovered'], 2.31e6, 2.6e6, 3e6, 1.8e6, 6e4) },
  { heading: ['活跃客户', 'Active customers'], format: 'count', result: kpi(['活跃客户', 'Active customers'], 18_204, 17_950, 20_000, 15_000, 260) },
];

const docs = `\`<fin-kpi-group>\`: a responsive strip of KPI cards — as many columns as fit at \`min-card-width\`, wrapping below it, so the same markup works from a 320px phone card to a full-width dashboard header.

${usage(`
<script type="module">import 'finboard/components/kpi-card';</script>
<fin-kpi-group min-card-width="220px" label="催收关键指标">
  <fin-kpi-card heading="M1+ 逾期率" format="percent" direction="lower-is-better"></fin-kpi-card>
  <fin-kpi-card heading="催回金额" format="currency-compact"></fin-kpi-card>
</fin-kpi-group>`)}`;

const cards = (ctx: StoryContext, list = CARDS) => {
  const { theme, locale } = look(ctx);
  return list.map(
    (c) => html`<fin-kpi-card
      heading=${locale === 'zh-CN' ? c.heading[0] : c.heading[1]}
      .result=${c.result}
      format=${c.format}
      direction=${c.direction ?? 'higher-is-better'}
      theme=${theme}
      locale=${locale}
    ></fin-kpi-card>`,
  );
};

const meta: Meta = {
  title: 'Elements/KPI group',
  component: 'fin-kpi-group',
  tags: ['autodocs'],
  parameters: { docs: { description: { component: docs } } },
  args: { minCardWidth: '200px', label: '', width: 0 },
  argTypes: { minCardWidth: { control: 'text' }, label: { control: 'text' }, ...widthArgTypes },
  render: (args, ctx) =>
    box(args['width'], html`<fin-kpi-group min-card-width=${args['minCardWidth']} label=${args['label'] || tr(ctx, '关键指标', 'Key figures')}>${cards(ctx)}</fin-kpi-group>`),
};
export default meta;
type Story = StoryObj;

export const FullWidth: Story = {};
export const NarrowCard: Story = { args: { width: 320 } };
export const TwoColumns: Story = { args: { width: 560, minCardWidth: '240px' } };
export const DarkEnglish: Story = { globals: { theme: 'dark', locale: 'en-US' } };
export const MixedStates: Story = {
  render: (args, ctx) => {
    const { theme, locale } = look(ctx);
    return box(
      args['width'],
      html`<fin-kpi-group min-card-width="200px" label=${tr(ctx, '关键指标', 'Key figures')}>
        ${cards(ctx, CARDS.slice(0, 1))}
        <fin-kpi-card data-story="loading" heading=${tr(ctx, '入催率', 'Entry rate')} .engine=${neverEngine()} theme=${theme} locale=${locale}></fin-kpi-card>
        <fin-kpi-card heading=${tr(ctx, '出催率', 'Cure rate')} .result=${emptyResult(basis('kpi', L('出催率', 'Cure rate'), L('—', '—')), L('本月尚无出催', 'No cures this month yet'))} theme=${theme} locale=${locale}></fin-kpi-card>
        <fin-kpi-card heading=${tr(ctx, '催回金额', 'Recovered')} .result=${BROKEN_RESULT} theme=${theme} locale=${locale}></fin-kpi-card>
      </fin-kpi-group>`,
    );
  },
};
export const FromSampleData: Story = {
  loaders: [engineLoader],
  argTypes: { ...sizeArgTypes },
  render: (args, ctx) => {
    const { theme, locale } = look(ctx);
    const engine = ctx.loaded['engine'];
    const spark = { unit: 'month', points: 12 };
    return box(
      args['width'],
      html`<fin-kpi-group min-card-width=${args['minCardWidth']} label=${tr(ctx, '资金流向', 'Fund flow')}>
        <fin-kpi-card .engine=${engine} source="transactions" heading=${tr(ctx, '资金流入', 'Inflow')} format="currency-compact"
          .params=${{ measure: { agg: 'sum', field: 'amount', where: [{ field: 'direction', op: 'eq', value: 'in' }] }, sparkline: spark }} theme=${theme} locale=${locale}></fin-kpi-card>
        <fin-kpi-card .engine=${engine} source="transactions" heading=${tr(ctx, '资金流出', 'Outflow')} format="currency-compact" direction="lower-is-better"
          .params=${{ measure: { agg: 'sum', field: 'amount', where: [{ field: 'direction', op: 'eq', value: 'out' }] }, sparkline: spark, direction: 'lower-is-better' }} theme=${theme} locale=${locale}></fin-kpi-card>
        <fin-kpi-card .engine=${engine} source="transactions" heading=${tr(ctx, '交易笔数', 'Transactions')} format="count"
          .params=${{ measure: { agg: 'count' }, sparkline: spark }} theme=${theme} locale=${locale}></fin-kpi-card>
        <fin-kpi-card .engine=${engine} source="transactions" heading=${tr(ctx, '活跃客户', 'Active customers')} format="count"
          .params=${{ measure: { agg: 'distinct', field: 'customer_id' }, sparkline: spark }} theme=${theme} locale=${locale}></fin-kpi-card>
      </fin-kpi-group>`,
    );
  },
};
