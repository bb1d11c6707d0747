import type { Meta, StoryContext, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../components/fund-flow/define.js';
import type { MetricResult } from '../src/engine/types.js';
import {
  BROKEN_RESULT,
  L,
  basis,
  box,
  emptyResult,
  engineErrorStory,
  engineLoader,
  engineOf,
  loadingStory,
  look,
  marker,
  months,
  partial,
  quality,
  sizeArgTypes,
  usage,
  widthArgTypes,
  DEFAULT_LABEL,
} from './support.js';

const sankeyBasis = basis('sankey', L('资金流向桑基图', 'Fund-flow sankey'), L('流入 category → segment → 流出 category；连线值 = 金额合计', 'inflow category → segment → outflow category; link value = Σ amount'), {
  measure: 'amount',
  options: { left: 'category', middle: 'segment', right: 'category', top: 8 },
});

/** A sankey result from `[inflow, middle, outflow, amount]` paths (links are summed per edge). */
function sankey(paths: Array<[string, string, string, number]>): MetricResult {
  const links = new Map<string, number>();
  const nodes = new Map<string, { id: string; label: string; side: string; value: number }>();
  const add = (a: string, b: string, v: number): void => void links.set(`${a}\u0000${b}`, (links.get(`${a}\u0000${b}`) ?? 0) + v);
  const node = (side: string, label: string, v: number): string => {
    const id = `${side}:${label}`;
    const n = nodes.get(id) ?? { id, label, side, value: 0 };
    n.value += v;
    nodes.set(id, n);
    return id;
  };
  for (const [i, m, o, v] of paths) {
    const a = node('in', i, v);
    const b = node('mid', m, v);
    const c = node('out', o, v);
    add(a, b, v);
    add(b, c, v);
  }
  const data = [...links].map(([k, value]) => {
    const [source, target] = k.split('\u0000') as [string, string];
    return { source, target, value };
  });
  return { data, basis: sankeyBasis, quality: quality(paths.length * 400), meta: { nodes: [...nodes.values()] } };
}

const SANKEY = sankey([
  ['工资', '大众客户', '消费', 12_400_000],
  ['工资', '大众客户', '贷款还款', 9_800_000],
  ['工资', '贵宾客户', '理财购买', 14_600_000],
  ['理财赎回', '贵宾客户', '理财购买', 17_670_000],
  ['理财赎回', '私行客户', '理财购买', 15_757_000],
  ['奖金', '私行客户', '转账转出', 8_100_000],
  ['转账转入', '大众客户', '转账转出', 10_900_000],
  ['存现', '大众客户', '取现', 4_100_000],
  ['跨境汇入', '私行客户', '跨境汇款', 266_000],
]);
const LONG_SANKEY = sankey([
  ['代发工资（含绩效奖金及年终奖一次性发放）', '大众客户（个人手机银行活跃用户）', '日常消费（含第三方支付快捷支付）', 12_400_000],
  ['理财产品到期赎回及分红再投资', '私人银行客户（金融资产五百万元以上）', '购买净值型理财产品及结构性存款', 17_670_000],
  ['他行转入（跨行实时汇款）', '大众客户（个人手机银行活跃用户）', '偿还个人住房按揭贷款', 8_200_000],
]);
const HUGE_TINY_SANKEY = sankey([
  ['理财赎回', '私行客户', '理财购买', 9.87e12],
  ['工资', '大众客户', '消费', 1.2e9],
  ['利息', '大众客户', '手续费', 0.01],
  ['存现', '贵宾客户', '取现', 3],
]);

const trendBasis = basis('fund_flow', L('资金流向', 'Fund flow'), L('净流入 = 流入（方向 in）合计 − 流出（方向 out）合计；累计净流入按期累加', 'net = Σ amount (in) − Σ amount (out); cumulative net summed over periods'), {
  measure: 'amount',
  options: { unit: 'month', by: null },
});

/** Net-flow trend over months from `[inflow, outflow]` pairs. */
function trend(ms: string[], flow: (i: number) => [number, number]): MetricResult {
  let cum = 0;
  const data = ms.map((period, i) => {
    const [inflow, outflow] = flow(i);
    const net = inflow - outflow;
    cum += net;
    return { period, inflow, outflow, net, cumulativeNet: cum, count: Math.round((inflow + outflow) / 4000) };
  });
  const totals = data.reduce((t, d) => ({ inflow: t.inflow + d.inflow, outflow: t.outflow + d.outflow, net: t.net + d.net, count: t.count + d.count }), { inflow: 0, outflow: 0, net: 0, count: 0 });
  return { data, basis: trendBasis, quality: quality(totals.count), meta: { periods: ms, groups: [], totals } };
}
const TREND = trend(months(12), (i) => [7e6 + 1.2e6 * Math.sin(i / 1.7) + (i === 2 ? 8e6 : 0), 7.6e6 + 0.9e6 * Math.cos(i / 2)]);
const HUGE_TINY_TREND = trend(months(6), (i) => (i % 2 ? [4.2e12, 1.1e12] : [0.02, 0.05]));
const SINGLE_PERIOD = trend(['2026-10'], () => [1.5e7, 1.1e7]);

const RULES = {
  cash: L('大额现金交易', 'Large cash transaction'),
  individual_domestic: L('自然人境内大额转账', 'Natural person domestic transfer'),
  individual_cross_border: L('自然人跨境大额转账', 'Natural person cross-border transfer'),
  non_individual: L('非自然人大额转账', 'Non-natural-person transfer'),
  structuring: L('拆分交易（接近阈值）', 'Structuring (just below a threshold)'),
};
const alertsBasis = basis('txn_alerts', L('大额与可疑交易预警', 'Large and suspicious transaction alerts'), L('单笔或客户当日累计（按规则、分收付方向）≥ 阈值；拆分：7 天内 ≥ 3 笔、每笔为阈值的 90%–100%', 'Single transaction or a customer’s daily cumulative (per rule and direction) ≥ threshold; structuring: ≥ 3 transactions within 7 days each at 90–100% of a threshold'), {
  measure: 'amount',
  asOf: '2026-10-31',
  options: { thresholds: { cash: 50000, individualDomestic: 500000, individualCrossBorder: 200000, nonIndividual: 2000000 } },
});
type Alert = [customer: string, date: string, rule: keyof typeof RULES, amount: number, count: number];
function alerts(rows: Alert[]): MetricResult {
  const byRule: Record<string, number> = {};
  const data = rows.map(([customer_id, date, rule, amount, count], i) => {
    byRule[rule] = (byRule[rule] ?? 0) + 1;
    return { customer_id, date, rule, amount, count, txnIds: Array.from({ length: count }, (_, j) => `TX${String(25000 + i * 5 + j).padStart(10, '0')}`), direction: rule === 'structuring' ? null : i % 2 ? 'in' : 'out', threshold: null, single: count === 1 };
  });
  return { data, basis: alertsBasis, quality: quality(25_696), meta: { total: rows.length, byRule, rules: RULES } };
}
const ALERTS = alerts([
  ['CU00000049', '2026-09-24', 'structuring', 147_200, 3],
  ['CU00000381', '2026-08-05', 'individual_cross_border', 595_864.81, 1],
  ['CU00000314', '2026-07-02', 'cash', 102_700, 1],
  ['CU00000120', '2026-06-18', 'non_individual', 2_450_000, 2],
  ['CU00000077', '2026-05-30', 'individual_domestic', 880_000, 1],
]);
const HUGE_TINY_ALERTS = alerts([
  ['CU00000001', '2026-10-31', 'non_individual', 9.87e12, 1],
  ['CU00000002', '2026-10-30', 'cash', 50_000.01, 1],
  ['CU00000003', '2026-10-29', 'structuring', 0.03, 40],
]);

const docs = `\`<fin-fund-flow>\`: fund flow (资金流向) — where money comes from and where it goes. Three displays, each querying its own metric on \`transactions\`:

- \`sankey\` (metric \`sankey\`, d3-sankey into SVG): inflow categories → customer segment (\`middle\`) → outflow categories; nodes are keyboard-focusable buttons that select \`category\` / segment;
- \`trend\` (metric \`fund_flow\`): net flow per period as diverging bars with the cumulative net line; \`unit\`, \`by\`, \`show-flows\`, \`color-convention="cn"\` (inflow red);
- \`alerts\` (metric \`txn_alerts\`): large and suspicious transaction alerts (大额与可疑交易), sortable, with per-rule chips; customers are shown as delivered (masked at ingestion).

${usage(`
<script type="module">import 'finboard/components/fund-flow';</script>
<fin-fund-flow heading="资金流向" middle="segment" top="8"></fin-fund-flow>
<fin-fund-flow display="trend" unit="month" show-flows color-convention="cn"></fin-fund-flow>
<fin-fund-flow display="alerts" sort-by="amount"></fin-fund-flow>
<script type="module">
  for (const el of document.querySelectorAll('fin-fund-flow')) el.engine = engine;
</script>`)}`;

const render = (args: Record<string, unknown>, ctx: StoryContext) => {
  const { theme, locale } = look(ctx);
  return box(
    args['width'],
    html`<fin-fund-flow
      data-story=${ifDefined(marker(ctx))}
      .result=${(args['result'] as MetricResult | undefined) ?? null}
      .engine=${engineOf(ctx)}
      heading=${args['heading'] ?? ''}
      metric=${args['metric'] ?? ''}
      source=${args['source'] ?? ''}
      group=${args['group'] ?? ''}
      widget-id=${args['widgetId'] ?? ''}
      display=${args['display']}
      unit=${args['unit'] ?? ''}
      by=${args['by'] ?? ''}
      ?show-flows=${!!args['showFlows']}
      color-convention=${args['colorConvention']}
      top=${args['top']}
      middle=${args['middle'] ?? ''}
      chart-height=${args['chartHeight']}
      sort-by=${args['sortBy']}
      sort-direction=${args['sortDirection']}
      view=${args['view']}
      theme=${theme}
      locale=${locale}
    ></fin-fund-flow>`,
  );
};

const meta: Meta = {
  title: 'Elements/Fund flow',
  component: 'fin-fund-flow',
  tags: ['autodocs'],
  parameters: { docs: { description: { component: docs } } },
  args: { heading: '', display: 'sankey', unit: '', by: '', showFlows: false, colorConvention: 'west', top: 0, middle: '', chartHeight: 0, sortBy: 'date', sortDirection: 'desc', view: 'chart', width: 0 },
  argTypes: {
    display: { control: 'inline-radio', options: ['sankey', 'trend', 'alerts'] },
    unit: { control: { type: 'select', labels: DEFAULT_LABEL }, options: ['', 'day', 'week', 'month', 'quarter', 'year'] },
    by: { control: { type: 'select', labels: DEFAULT_LABEL }, options: ['', 'channel', 'category'] },
    showFlows: { control: 'boolean' },
    colorConvention: { control: 'inline-radio', options: ['west', 'cn'] },
    top: { control: { type: 'number', min: 0, max: 20 } },
    middle: { control: { type: 'select', labels: DEFAULT_LABEL }, options: ['', 'segment', 'none'] },
    chartHeight: { control: { type: 'number', min: 0, max: 800, step: 20 } },
    sortBy: { control: 'select', options: ['date', 'customer', 'rule', 'amount', 'count'] },
    sortDirection: { control: 'inline-radio', options: ['asc', 'desc'] },
    view: { control: 'inline-radio', options: ['chart', 'table'] },
    result: { control: false },
    ...widthArgTypes,
  },
  render,
};
export default meta;
type Story = StoryObj;

// --- main variants on the seeded sample ---------------------------------------------------------
const sample = { loaders: [engineLoader], argTypes: sizeArgTypes };

export const Sankey: Story = { ...sample };
export const SankeyWithoutMiddle: Story = { ...sample, args: { middle: 'none', top: 5 } };
export const Trend: Story = { ...sample, args: { display: 'trend', showFlows: true } };
export const TrendByChannelChineseColours: Story = { ...sample, args: { display: 'trend', by: 'channel', colorConvention: 'cn' } };
export const Alerts: Story = { ...sample, args: { display: 'alerts', sortBy: 'amount' } };
export const TableView: Story = { ...sample, args: { view: 'table' } };
export const DarkEnglish: Story = { ...sample, globals: { theme: 'dark', locale: 'en-US' } };
export const NarrowCard: Story = { ...sample, args: { width: 320 } };
export const NarrowAlerts: Story = { ...sample, args: { width: 320, display: 'alerts' } };

// --- edge data (hand-made results) ---------------------------------------------------------------
export const HandMadeSankey: Story = { args: { result: SANKEY } };
export const HandMadeTrend: Story = { args: { result: TREND, display: 'trend', showFlows: true } };
export const HandMadeAlerts: Story = { args: { result: ALERTS, display: 'alerts' } };
export const LongChineseLabels: Story = { args: { result: LONG_SANKEY } };
export const HugeAndTinySankey: Story = { args: { result: HUGE_TINY_SANKEY } };
export const HugeAndTinyTrend: Story = { args: { result: HUGE_TINY_TREND, display: 'trend' } };
export const HugeAndTinyAlerts: Story = { args: { result: HUGE_TINY_ALERTS, display: 'alerts' } };
export const SinglePeriod: Story = { args: { result: SINGLE_PERIOD, display: 'trend', width: 480 } };

// --- states ---------------------------------------------------------------------------------------
export const PartialData: Story = {
  args: { result: partial(SANKEY, { missing_amount: 42, bad_direction: 7 }, L('第三方支付渠道 10 月数据尚未完整入仓。', 'October third-party payment data is not complete yet.')) },
};
export const Empty: Story = { args: { result: emptyResult(sankeyBasis, L('所选渠道没有交易', 'No transactions for the selected channel')) } };
export const NoAlerts: Story = { args: { display: 'alerts', result: { ...alerts([]), empty: L('所选期间没有触发预警', 'No alerts in the selected period') } } };
export const ErrorState: Story = { args: { heading: '资金流向', result: BROKEN_RESULT } };
export const EngineError: Story = { ...engineErrorStory, args: { heading: '资金流向' } };
export const Loading: Story = { ...loadingStory, args: { heading: '资金流向' } };
