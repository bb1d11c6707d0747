import type { Meta, StoryContext, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../components/cohort/define.js';
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

const retentionBasis = basis('cohort', L('同期群留存', 'Cohort retention'), L('r(c, p) = 同期群 c 在 p 期活跃的去重实体数 / 同期群规模', 'r(c, p) = distinct entities of c active in p / size of c'), {
  numerator: L('p 期活跃去重实体数', 'Distinct entities active in p'),
  denominator: L('同期群规模', 'Cohort size'),
  measure: 'count',
  options: { unit: 'month', value: 'retention', dateField: 'txn_time' },
});

/** Retention triangle: `n` monthly cohorts, right-censored cells null; `cell` overrides a value. */
function retention(keys: string[], sizes: number[], cell?: (c: number, p: number) => number | null): MetricResult {
  const n = keys.length;
  const data: Array<Record<string, unknown>> = [];
  keys.forEach((key, c) => {
    const size = sizes[c % sizes.length]!;
    for (let p = 0; p < n; p++) {
      const censored = c + p > n - 1;
      const base = p === 0 ? 1 : Math.max(0.02, 0.55 * Math.pow(0.92, p - 1) + 0.03 * Math.sin(c / 2));
      const v = censored ? null : cell ? cell(c, p) : Math.round(base * 1e4) / 1e4;
      data.push({ cohort: key, size, period: p, value: v, active: v === null ? null : Math.round(v * size) });
    }
  });
  return { data, basis: retentionBasis, quality: quality(sizes.reduce((a, b) => a + b, 0) * 6), meta: { cohorts: keys, sizes: keys.map((_, c) => sizes[c % sizes.length]), maxPeriod: n - 1, unit: 'month' } };
}

const vintageBasis = basis('vintage', L('Vintage（当前 dpd > 30）', 'Vintage (current dpd > 30)'), L('vintage(c, k) = c 月放款在 MOB k 时 dpd > 30 的借据余额之和 / c 月放款本金之和', 'vintage(c, k) = Σ outstanding at MOB k of c’s loans with dpd > 30 / Σ principal issued in c'), {
  numerator: L('MOB k 时 dpd > 30 的借据余额', 'Outstanding of loans with dpd > 30 at MOB k'),
  denominator: L('该放款月放款本金之和', 'Σ principal issued in the cohort'),
  measure: 'amount',
  variant: 'current',
  options: { d: 30, variant: 'current', measure: 'amount' },
});

/** Vintage triangle: loss curves rising with MOB, one riskier window. */
function vintage(keys: string[], principal: (c: number) => number): MetricResult {
  const n = keys.length;
  const data: Array<Record<string, unknown>> = [];
  keys.forEach((cohort, c) => {
    const den = principal(c);
    const risk = c >= 3 && c <= 5 ? 1.6 : 1;
    for (let mob = 0; mob < n; mob++) {
      const censored = c + mob > n - 1;
      const rate = censored ? null : Math.round(Math.min(0.2, risk * 0.004 * Math.max(0, mob - 1) ** 1.25) * 1e5) / 1e5;
      data.push({ cohort, mob, month: null, numerator: rate === null ? null : rate * den, denominator: den, rate });
    }
  });
  return {
    data,
    basis: vintageBasis,
    quality: quality(n * 120),
    meta: { cohorts: keys.map((cohort, c) => ({ cohort, loans: 40 + c, principal: principal(c) })), mobs: n, measure: 'amount' },
  };
}

const M12 = months(12);
const RETENTION = retention(M12, [320, 280, 410, 150, 600, 240, 90, 330, 520, 410, 260, 180]);
const VINTAGE = vintage(months(18), (c) => 2_000_000 + c * 350_000);
const LONG_KEYS = ['2025年春节营销活动获客（抖音信息流定向投放）', '2025年618大促首贷客户（微信朋友圈广告）', '2025年双十一老客推荐裂变活动'];
const LONG = retention(LONG_KEYS, [1200, 860, 430]);
const SINGLE = retention(['2026-10'], [418]);
const SINGLE_VINTAGE = vintage(['2025-06'], () => 12_500_000);
const HUGE_TINY = vintage(months(8), (c) => (c % 2 ? 9.87e11 : 1200));
const ALL_NULL = retention(months(6), [300, 200, 100], () => null);

const docs = `\`<fin-cohort>\`: cohort retention (客户留存) and vintage (账龄) analysis, drawn with Vega-Lite: a heat matrix of cohorts (rows, with their size) by period index (p0, p1 … or MOB0, MOB1 …), or one curve per cohort. Right-censored cells — periods a cohort has not reached yet — are blank, never 0.

- \`mode="retention"\` queries the \`cohort\` metric (transactions by default): \`unit\` week / month / quarter, \`value-mode\` retention / count / amount, \`cumulative\`.
- \`mode="vintage"\` queries the \`vintage\` metric on \`loan_months\`: \`variant\` current / ever, \`threshold\` (bad when dpd > d, default 30), \`value-mode\` amount / count.

Selecting a cohort (row label, cell, the cohort picker or the table view's buttons) emits \`fin-select\`: in vintage mode \`{ field: 'issue_date.month', op: 'eq', value: 'YYYY-MM' }\`.

${usage(`
<script type="module">import 'finboard/components/cohort';</script>
<fin-cohort mode="vintage" variant="ever" threshold="30" heading="账龄分析（M1+）"></fin-cohort>
<fin-cohort display="curves" unit="month" cumulative></fin-cohort>
<script type="module">
  for (const el of document.querySelectorAll('fin-cohort')) el.engine = engine;
</script>`)}`;

const render = (args: Record<string, unknown>, ctx: StoryContext) => {
  const { theme, locale } = look(ctx);
  return box(
    args['width'],
    html`<fin-cohort
      data-story=${ifDefined(marker(ctx))}
      .result=${(args['result'] as MetricResult | undefined) ?? null}
      .engine=${engineOf(ctx)}
      .params=${(args['params'] as Record<string, unknown> | undefined) ?? {}}
      heading=${args['heading'] ?? ''}
      metric=${args['metric'] ?? ''}
      source=${args['source'] ?? ''}
      group=${args['group'] ?? ''}
      widget-id=${args['widgetId'] ?? ''}
      mode=${args['mode']}
      display=${args['display']}
      value-mode=${args['valueMode'] ?? ''}
      variant=${args['variant'] ?? ''}
      .threshold=${(args['threshold'] as number | null | undefined) ?? null}
      unit=${args['unit'] ?? ''}
      ?cumulative=${!!args['cumulative']}
      view=${args['view']}
      theme=${theme}
      locale=${locale}
    ></fin-cohort>`,
  );
};

const meta: Meta = {
  title: 'Elements/Cohort',
  component: 'fin-cohort',
  tags: ['autodocs'],
  parameters: { docs: { description: { component: docs } } },
  args: { heading: '', mode: 'retention', display: 'matrix', valueMode: '', variant: '', unit: '', cumulative: false, view: 'chart', width: 0 },
  argTypes: {
    mode: { control: 'inline-radio', options: ['retention', 'vintage'] },
    display: { control: 'inline-radio', options: ['matrix', 'curves'] },
    valueMode: { control: { type: 'select', labels: DEFAULT_LABEL }, options: ['', 'retention', 'count', 'amount'] },
    variant: { control: { type: 'inline-radio', labels: DEFAULT_LABEL }, options: ['', 'current', 'ever'] },
    threshold: { control: { type: 'number', min: 0, max: 180, step: 30 } },
    unit: { control: { type: 'inline-radio', labels: DEFAULT_LABEL }, options: ['', 'week', 'month', 'quarter'] },
    cumulative: { control: 'boolean' },
    view: { control: 'inline-radio', options: ['chart', 'table'] },
    result: { control: false },
    params: { control: 'object' },
    ...widthArgTypes,
  },
  render,
};
export default meta;
type Story = StoryObj;

// --- main variants on the seeded sample ---------------------------------------------------------
const sample = { loaders: [engineLoader], argTypes: sizeArgTypes };

export const RetentionMatrix: Story = { ...sample };
export const RetentionCurves: Story = { ...sample, args: { display: 'curves' } };
export const RetentionCumulativeCount: Story = { ...sample, args: { cumulative: true, valueMode: 'count' } };
export const VintageMatrix: Story = { ...sample, args: { mode: 'vintage', params: { maxMob: 18 } } };
export const VintageEverCurves: Story = { ...sample, args: { mode: 'vintage', variant: 'ever', display: 'curves', threshold: 30, params: { maxMob: 18 } } };
export const TableView: Story = { ...sample, args: { mode: 'vintage', view: 'table', params: { maxMob: 12 } } };
export const DarkEnglish: Story = { ...sample, globals: { theme: 'dark', locale: 'en-US' }, args: { mode: 'vintage', params: { maxMob: 18 } } };
export const NarrowCard: Story = { ...sample, args: { width: 320 } };

// --- edge data (hand-made results) ---------------------------------------------------------------
export const HandMadeRetention: Story = { args: { result: RETENTION } };
export const HandMadeVintage: Story = { args: { result: VINTAGE, mode: 'vintage' } };
export const LongChineseLabels: Story = { args: { result: LONG, width: 760 } };
export const SingleCohort: Story = { args: { result: SINGLE, width: 480 } };
export const SingleVintageCohort: Story = { args: { result: SINGLE_VINTAGE, mode: 'vintage', display: 'curves', width: 480 } };
export const HugeAndTinyNumbers: Story = { args: { result: HUGE_TINY, mode: 'vintage' } };
export const AllNullCells: Story = { args: { result: ALL_NULL } };

// --- states ---------------------------------------------------------------------------------------
export const PartialData: Story = {
  args: { result: partial(RETENTION, { missing_date: 40, missing_entity: 12 }, L('最后观测月不完整（截至 10 日）。', 'The last observed month is partial (to the 10th).')) },
};
export const Empty: Story = { args: { result: emptyResult(retentionBasis, L('所选客群没有交易', 'No transactions for the selected segment')) } };
export const ErrorState: Story = { args: { heading: '月度留存', result: BROKEN_RESULT } };
export const EngineError: Story = { ...engineErrorStory, args: { heading: '月度留存' } };
export const Loading: Story = { ...loadingStory, args: { heading: '月度留存' } };
