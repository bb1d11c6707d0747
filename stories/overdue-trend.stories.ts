import type { Meta, StoryContext, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../components/overdue-trend/define.js';
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
  rng,
  sizeArgTypes,
  usage,
  widthArgTypes,
  DEFAULT_LABEL,
} from './support.js';

const BUCKETS = ['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7+'];
const EDGES = [0, 1, 31, 61, 91, 121, 151, 181];
const bucketOpts = { measure: 'amount', edges: EDGES, labels: BUCKETS };

/** Bucket trend: per month, outstanding per DPD bucket (`book(month index)` the total). */
function buckets(ms: string[], book: (i: number) => number, labels: string[] = BUCKETS): MetricResult {
  const r = rng(3);
  const data: Array<Record<string, unknown>> = [];
  ms.forEach((month, i) => {
    const total = book(i);
    const shares = labels.map((_, b) => (b === 0 ? 0 : Math.min(0.06, 0.035 * Math.pow(0.62, b - 1) * (0.8 + r() * 0.4) * Math.min(1, i / 4))));
    shares[0] = 1 - shares.slice(1).reduce((a, s) => a + s, 0);
    labels.forEach((bucket, b) => {
      const value = Math.round(total * shares[b]! * 100) / 100;
      data.push({ month, bucket, index: b, count: Math.round(value / 52_000), outstanding: value, value, share: shares[b] });
    });
  });
  return {
    data,
    basis: basis('bucket_trend', L('逾期阶段趋势', 'DPD bucket trend'), L('每个快照月 t、每个阶段 b：value(b, t)，share = value(b, t) / Σ_b value(b, t)', 'For each snapshot month t and bucket b: value(b, t); share = value(b, t) / Σ_b value(b, t)'), {
      measure: 'amount',
      numerator: L('阶段内余额', 'Outstanding in the bucket'),
      denominator: L('当月在册总余额', 'Total in-book outstanding of the month'),
      options: { ...bucketOpts, labels },
    }),
    quality: quality(ms.length * 900),
    meta: { buckets: labels, months: ms, measure: 'amount' },
  };
}

/** Overdue rates, already merged as the element merges them: rows carry `k`, `lag`, `bucket`. */
function rates(ms: string[], series: Array<{ k: number; lag: number; level: number }>): MetricResult {
  const data: Array<Record<string, unknown>> = [];
  for (const s of series) {
    ms.forEach((month, i) => {
      const rate = i < s.lag ? null : Math.round(s.level * (1 + 0.35 * Math.sin(i / 2.5) + i * 0.01) * 1e5) / 1e5;
      data.push({ month, numerator: rate === null ? null : rate * 8e7, denominator: 8e7, rate, k: s.k, lag: s.lag, bucket: `M${s.k}+` });
    });
  }
  return {
    data,
    basis: basis('overdue_rate', L('逾期率趋势', 'Overdue rate trend'), L('t 月 M1+（dpd ≥ 1）余额 / t 月在册总余额', 'outstanding in M1+ (dpd ≥ 1) at t / total in-book outstanding at t'), {
      measure: 'amount',
      variant: 'coincident',
      options: { k: series.map((s) => s.k), lag: series.map((s) => s.lag), measure: 'amount', edges: EDGES, labels: BUCKETS },
    }),
    quality: quality(ms.length * 900),
    meta: { months: ms, series: series.map(({ k, lag }) => ({ k, lag })), measure: 'amount' },
  };
}

/** Flow rates per transition and month, with the chained loss rate. */
function flows(ms: string[]): MetricResult {
  const r = rng(9);
  const base = [0.025, 0.36, 0.55, 0.7, 0.78, 0.82, 0.85];
  const data: Array<Record<string, unknown>> = [];
  for (const month of ms) {
    let chain = 1;
    base.forEach((b, t) => {
      const rate = Math.round(b * (0.85 + r() * 0.3) * 1e4) / 1e4;
      chain *= rate;
      data.push({ month, kind: 'flow', from: BUCKETS[t], to: BUCKETS[t + 1], transition: `${BUCKETS[t]}→${BUCKETS[t + 1]}`, numerator: rate * 1e6, denominator: 1e6, rate, performance: 1 - rate });
    });
    data.push({ month, kind: 'chained', from: 'M0', to: 'M7+', transition: 'M0→M7+', numerator: null, denominator: null, rate: chain, performance: null });
  }
  return {
    data,
    basis: basis('flow_rate', L('迁徙率', 'Flow rate'), L('flow(Mn→Mn+1, t) = t 月 Mn+1 余额 / t−1 月 Mn 余额；累计损失率 = 同月各级迁徙率之积', 'flow(Mn→Mn+1, t) = outstanding in Mn+1 at t / outstanding in Mn at t−1; chained loss = product of the month’s flows'), {
      measure: 'amount',
      options: { ...bucketOpts, lastBucket: 'entries' },
    }),
    quality: quality(ms.length * 900),
    meta: { months: ms, transitions: base.map((_, t) => `${BUCKETS[t]}→${BUCKETS[t + 1]}`), chained: 'M0→M7+', buckets: BUCKETS, measure: 'amount' },
  };
}

/** Roll-rate matrix t0 → t1 (counts); rows sum to 1. */
function rollrate(scale = 1): MetricResult {
  const cols = [...BUCKETS, 'closed', 'written_off', 'missing'];
  const loans = [3450, 80, 50, 30, 20, 10, 20, 30].map((n) => Math.max(1, Math.round(n * scale)));
  const data: Array<Record<string, unknown>> = [];
  BUCKETS.forEach((from, i) => {
    const w = cols.map((to, j): number => {
      if (to === 'missing') return 0.002;
      if (to === 'closed') return i === 0 ? 0.02 : 0.04;
      if (to === 'written_off') return i === 7 ? 0.35 : 0;
      if (j === i + 1) return i === 0 ? 0.03 : 0.5;
      if (j === i) return i === 0 ? 0.94 : 0.2;
      if (j === 0) return i === 0 ? 0 : 0.25;
      return 0;
    });
    const sum = w.reduce((a, b) => a + b, 0);
    cols.forEach((to, j) => {
      const share = w[j]! / sum;
      data.push({ from, to, loans: Math.round(loans[i]! * share), amount: Math.round(loans[i]! * share * 52_000), value: Math.round(loans[i]! * share), share });
    });
  });
  return {
    data,
    basis: basis('roll_rate', L('滚动率矩阵', 'Roll-rate matrix'), L('cell(i, j) = t0 月处于阶段 i 且 t1 月处于状态 j 的借据笔数 / t0 月处于阶段 i 的借据笔数', 'cell(i, j) = loans in bucket i at t0 and in state j at t1 / loans in bucket i at t0'), {
      measure: 'count',
      variant: '2026-09→2026-10',
      options: { t0: '2026-09', t1: '2026-10', measure: 'count', edges: EDGES, labels: BUCKETS },
    }),
    quality: quality(loans.reduce((a, b) => a + b, 0)),
    meta: { t0: '2026-09', t1: '2026-10', rows: BUCKETS, columns: cols, totals: BUCKETS.map((from, i) => ({ from, loans: loans[i], value: loans[i] })), measure: 'count' },
  };
}

const M18 = months(18);
const BUCKETS_R = buckets(M18, (i) => 8e7 * (1 + i * 0.03));
const LONG_BUCKETS = buckets(months(8), (i) => 5e7 + i * 1e6, ['正常（未逾期）', '逾期 1–30 天（早期催收）', '逾期 31–60 天（中期催收）', '逾期 61–90 天（委外催收）', '逾期 91 天以上（法律诉讼及核销）']);
const HUGE_TINY = buckets(months(6), (i) => (i % 2 ? 3.2e13 : 0.5));
const SINGLE_MONTH = buckets(['2026-10'], () => 1.2e8);
const RATES = rates(M18, [
  { k: 1, lag: 0, level: 0.031 },
  { k: 3, lag: 0, level: 0.011 },
  { k: 1, lag: 1, level: 0.036 },
  { k: 3, lag: 3, level: 0.014 },
]);
const ALL_NULL_RATES = rates(months(6), [{ k: 1, lag: 0, level: 0 }]);
ALL_NULL_RATES.data.forEach((d) => {
  d['rate'] = null;
  d['numerator'] = null;
  d['denominator'] = null;
});
const FLOWS = flows(months(12));
const ROLL = rollrate();
const ROLL_HUGE = rollrate(25_000);

const docs = `\`<fin-overdue-trend>\`: delinquency (逾期) trends. Four displays, each querying its own metric on \`loan_months\`:

- \`buckets\` (\`bucket_trend\`): outstanding by DPD bucket as stacked areas or bars (\`chart-type\`), amounts or shares (\`share\`);
- \`rates\` (\`overdue_rate\`): M1+ / M3+ (\`levels="1,3,4"\`) coincident and lagged lines, with an alert \`threshold\`;
- \`flows\` (\`flow_rate\`): flow (迁徙) rates per bucket transition with the chained loss rate;
- \`rollrate\` (\`roll_rate\`): the roll-rate (滚动率) matrix from \`t0\` to \`t1\`.

Clicking a month selects \`snapshot_date.month\` (shift-click for a range); a legend bucket or roll-rate row selects its \`dpd\` range.

${usage(`
<script type="module">import 'finboard/components/overdue-trend';</script>
<fin-overdue-trend display="rates" levels="1,3" lag="auto" threshold="5%"></fin-overdue-trend>
<fin-overdue-trend display="rollrate" t0="2026-08" t1="2026-09"></fin-overdue-trend>
<script type="module">
  for (const el of document.querySelectorAll('fin-overdue-trend')) el.engine = engine;
</script>`)}`;

const render = (args: Record<string, unknown>, ctx: StoryContext) => {
  const { theme, locale } = look(ctx);
  return box(
    args['width'],
    html`<fin-overdue-trend
      data-story=${ifDefined(marker(ctx))}
      .result=${(args['result'] as MetricResult | undefined) ?? null}
      .engine=${engineOf(ctx)}
      heading=${args['heading'] ?? ''}
      metric=${args['metric'] ?? ''}
      source=${args['source'] ?? ''}
      group=${args['group'] ?? ''}
      widget-id=${args['widgetId'] ?? ''}
      display=${args['display']}
      chart-type=${args['chartType']}
      ?share=${!!args['share']}
      .excludeCurrent=${args['excludeCurrent'] !== false}
      measure=${args['measure'] ?? ''}
      .levels=${(args['levels'] as number[] | undefined) ?? [1, 3]}
      .lag=${(args['lag'] as number | 'auto' | undefined) ?? 'auto'}
      .threshold=${(args['threshold'] as number | null | undefined) ?? null}
      t0=${args['t0'] ?? ''}
      t1=${args['t1'] ?? ''}
      chart-height=${args['chartHeight']}
      view=${args['view']}
      theme=${theme}
      locale=${locale}
    ></fin-overdue-trend>`,
  );
};

const meta: Meta = {
  title: 'Elements/Overdue trend',
  component: 'fin-overdue-trend',
  tags: ['autodocs'],
  parameters: { docs: { description: { component: docs } } },
  args: { heading: '', display: 'buckets', chartType: 'area', share: false, excludeCurrent: true, measure: '', levels: [1, 3], lag: 'auto', t0: '', t1: '', chartHeight: 240, view: 'chart', width: 0 },
  argTypes: {
    display: { control: 'inline-radio', options: ['buckets', 'rates', 'flows', 'rollrate'] },
    chartType: { control: 'inline-radio', options: ['area', 'bar'] },
    share: { control: 'boolean' },
    excludeCurrent: { control: 'boolean' },
    measure: { control: { type: 'inline-radio', labels: DEFAULT_LABEL }, options: ['', 'amount', 'count'] },
    levels: { control: 'object' },
    lag: { control: 'select', options: ['auto', 0, 1, 3] },
    threshold: { control: { type: 'number', min: 0, max: 1, step: 0.005 } },
    t0: { control: 'text' },
    t1: { control: 'text' },
    chartHeight: { control: { type: 'number', min: 120, max: 600, step: 20 } },
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

export const Buckets: Story = { ...sample };
export const BucketSharesAsBars: Story = { ...sample, args: { chartType: 'bar', share: true } };
export const Rates: Story = { ...sample, args: { display: 'rates', levels: [1, 3, 4], threshold: 0.05 } };
export const Flows: Story = { ...sample, args: { display: 'flows' } };
export const RollRate: Story = { ...sample, args: { display: 'rollrate', width: 760 } };
export const TableView: Story = { ...sample, args: { display: 'rates', view: 'table' } };
export const DarkEnglish: Story = { ...sample, globals: { theme: 'dark', locale: 'en-US' }, args: { display: 'rates', threshold: 0.05 } };
export const NarrowCard: Story = { ...sample, args: { width: 320, display: 'rates' } };

// --- edge data (hand-made results) ---------------------------------------------------------------
export const HandMadeBuckets: Story = { args: { result: BUCKETS_R } };
export const HandMadeRates: Story = { args: { result: RATES, display: 'rates', threshold: 0.04 } };
export const HandMadeFlows: Story = { args: { result: FLOWS, display: 'flows' } };
export const HandMadeRollRate: Story = { args: { result: ROLL, display: 'rollrate' } };
export const LongChineseLabels: Story = { args: { result: LONG_BUCKETS, heading: '逾期余额分布趋势（按催收阶段划分，含委外及诉讼阶段）' } };
export const HugeAndTinyNumbers: Story = { args: { result: HUGE_TINY } };
export const HugeRollRate: Story = { args: { result: ROLL_HUGE, display: 'rollrate', measure: 'count' } };
export const SingleMonth: Story = { args: { result: SINGLE_MONTH, chartType: 'bar', width: 480 } };
export const AllNullRates: Story = { args: { result: ALL_NULL_RATES, display: 'rates' } };

// --- states ---------------------------------------------------------------------------------------
export const PartialData: Story = {
  args: { result: partial(BUCKETS_R, { missing_dpd: 120, missing_outstanding: 31 }, L('2026-07 的核心系统快照缺失 2 天，逾期天数按前一日推算。', 'Two days of the 2026-07 core-banking snapshot are missing; dpd carried from the previous day.')) },
};
export const Empty: Story = { args: { result: emptyResult(BUCKETS_R.basis, L('所选产品没有在册借据', 'No loans in book for the selected product')) } };
export const ShapeMismatch: Story = { args: { heading: '逾期率趋势', result: BUCKETS_R, display: 'rollrate' } };
export const ErrorState: Story = { args: { heading: '逾期率趋势', result: BROKEN_RESULT } };
export const EngineError: Story = { ...engineErrorStory, args: { heading: '逾期率趋势' } };
export const Loading: Story = { ...loadingStory, args: { heading: '逾期率趋势' } };
