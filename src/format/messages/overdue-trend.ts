/**
 * Messages of `<fin-overdue-trend>` and its spec builder (src/specs/overdue-trend.ts). Registered
 * as the `overdue-trend` area; read them with `msg(locale, key, vars, OVERDUE_AREA)`.
 */
import { registerMessages } from '../messages.js';

/** Message area id. */
export const OVERDUE_AREA = 'overdue-trend';

export const overdueTrendMessages = {
  // Titles per display (used when the result carries no title of its own).
  titleBuckets: { 'zh-CN': '逾期阶段趋势', 'en-US': 'DPD bucket trend' },
  titleRates: { 'zh-CN': '逾期率趋势', 'en-US': 'Overdue rate trend' },
  titleFlows: { 'zh-CN': '迁徙率', 'en-US': 'Flow rates' },
  titleRollrate: { 'zh-CN': '滚动率矩阵', 'en-US': 'Roll-rate matrix' },
  // Axes.
  month: { 'zh-CN': '月份', 'en-US': 'Month' },
  outstanding: { 'zh-CN': '余额', 'en-US': 'Outstanding' },
  loans: { 'zh-CN': '笔数', 'en-US': 'Loans' },
  shareOfBook: { 'zh-CN': '占在册余额比例', 'en-US': 'Share of outstanding' },
  shareOfLoans: { 'zh-CN': '占在册笔数比例', 'en-US': 'Share of loans' },
  overdueRate: { 'zh-CN': '逾期率', 'en-US': 'Overdue rate' },
  flowRate: { 'zh-CN': '迁徙率', 'en-US': 'Flow rate' },
  bucketAtT0: { 'zh-CN': '期初阶段（{t0}）', 'en-US': 'Bucket at {t0}' },
  stateAtT1: { 'zh-CN': '期末状态（{t1}）', 'en-US': 'State at {t1}' },
  bucket: { 'zh-CN': '逾期阶段', 'en-US': 'Bucket' },
  // Roll-rate states.
  closed: { 'zh-CN': '结清', 'en-US': 'Closed' },
  written_off: { 'zh-CN': '核销', 'en-US': 'Written off' },
  missing: { 'zh-CN': '无记录', 'en-US': 'No record' },
  rowLoans: { 'zh-CN': '{bucket}（{n} 笔）', 'en-US': '{bucket} (n={n})' },
  rowAmount: { 'zh-CN': '{bucket}（{n}）', 'en-US': '{bucket} ({n})' },
  // Series.
  coincident: { 'zh-CN': '同期', 'en-US': 'coincident' },
  lagged: { 'zh-CN': '滞后 {lag} 月', 'en-US': 'lagged {lag} mo' },
  seriesCoincident: { 'zh-CN': '{k} 逾期率（同期）', 'en-US': '{k} overdue rate (coincident)' },
  seriesLagged: { 'zh-CN': '{k} 逾期率（滞后 {lag} 月）', 'en-US': '{k} overdue rate (lagged {lag} mo)' },
  chained: { 'zh-CN': '累计损失率 {t}', 'en-US': 'Chained loss {t}' },
  lineStyle: { 'zh-CN': '线型', 'en-US': 'Line' },
  // Notes and legends.
  currentHidden: {
    'zh-CN': 'M0（正常）已隐藏，最新月占{what} {share}；图中仅显示逾期阶段。',
    'en-US':
      'M0 (current) is hidden — {share} of {what} in the latest month; only overdue buckets are drawn.',
  },
  currentHiddenNoShare: {
    'zh-CN': 'M0（正常）已隐藏；图中仅显示逾期阶段。',
    'en-US': 'M0 (current) is hidden; only overdue buckets are drawn.',
  },
  whatAmount: { 'zh-CN': '余额', 'en-US': 'outstanding' },
  whatCount: { 'zh-CN': '笔数', 'en-US': 'loans' },
  threshold: { 'zh-CN': '预警线 {v}', 'en-US': 'Alert {v}' },
  aboveThreshold: { 'zh-CN': '{n} 个点高于预警线 {v}', 'en-US': '{n} points above the {v} alert line' },
  noneAboveThreshold: { 'zh-CN': '没有点高于预警线 {v}', 'en-US': 'No point above the {v} alert line' },
  capped: {
    'zh-CN': '{n} 个点超过纵轴上限 {cap}（最高 {max}），以 ▲ 标在顶端',
    'en-US': '{n} points above the axis top {cap} (max {max}) are marked ▲ at the top edge',
  },
  smallFlows: {
    'zh-CN': '{n} 个点的上月阶段不足 {min} 笔借据，画为空心点，不参与纵轴范围',
    'en-US': '{n} points over fewer than {min} loans in the prior bucket are drawn hollow and left out of the axis range',
  },
  smallTip: { 'zh-CN': '{v}（上月仅 {n} 笔，样本小）', 'en-US': '{v} (only {n} loans at t−1: small sample)' },
  allFlows: { 'zh-CN': '全部阶段', 'en-US': 'All transitions' },
  chainedNote: { 'zh-CN': '累计损失率 {t}（{month}）：{v}', 'en-US': 'Chained loss {t} ({month}): {v}' },
  rollNote: {
    'zh-CN': '{t0} → {t1}，按{measure}；每行合计 100%',
    'en-US': '{t0} → {t1}, by {measure}; each row sums to 100%',
  },
  measureCount: { 'zh-CN': '笔数', 'en-US': 'loan count' },
  measureAmount: { 'zh-CN': '期初余额', 'en-US': 't0 outstanding' },
  selectBucket: { 'zh-CN': '筛选 {bucket}', 'en-US': 'Filter {bucket}' },
  legendLabel: { 'zh-CN': '图例（点击筛选逾期阶段）', 'en-US': 'Legend (click to filter a bucket)' },
  selectMonth: { 'zh-CN': '筛选 {month}', 'en-US': 'Filter {month}' },
  monthRange: { 'zh-CN': '{from} 至 {to}', 'en-US': '{from} to {to}' },
  dpdRange: { 'zh-CN': '{bucket}（逾期 {lo}–{hi} 天）', 'en-US': '{bucket} ({lo}–{hi} dpd)' },
  dpdOpen: { 'zh-CN': '{bucket}（逾期 ≥ {lo} 天）', 'en-US': '{bucket} (≥ {lo} dpd)' },
  dpdZero: { 'zh-CN': '{bucket}（未逾期）', 'en-US': '{bucket} (current)' },
  rangeHint: {
    'zh-CN': 'Shift + 点击另一个月份可选择区间',
    'en-US': 'Shift-click another month to select a range',
  },
  total: { 'zh-CN': '合计', 'en-US': 'Total' },
  // Tooltips and table.
  tipValue: { 'zh-CN': '{name}：{v}', 'en-US': '{name}: {v}' },
  tipShare: { 'zh-CN': '{name}：{v}（占比 {s}）', 'en-US': '{name}: {v} ({s} of total)' },
  tipRatio: { 'zh-CN': '{num} / {den}', 'en-US': '{num} / {den}' },
  tipCell: { 'zh-CN': '{from} → {to}：{s}（{n}）', 'en-US': '{from} → {to}: {s} ({n})' },
  from: { 'zh-CN': '期初阶段', 'en-US': 'From' },
  rowTotal: { 'zh-CN': '期初合计', 'en-US': 'Row total' },
  // Summaries.
  sumBuckets: {
    'zh-CN':
      '{title}：{from} 至 {to} 共 {n} 个月。最新月 {last} 逾期（M1+）{what} {overdue}，占 {share}；最大的逾期阶段为 {top}（{topV}）。',
    'en-US':
      '{title}: {n} months from {from} to {to}. In {last}, overdue (M1+) {what} is {overdue}, {share} of the total; the largest overdue bucket is {top} ({topV}).',
  },
  sumRates: {
    'zh-CN': '{title}：{from} 至 {to}。最新月 {last}：{values}。{peak}',
    'en-US': '{title}: {from} to {to}. In {last}: {values}. {peak}',
  },
  sumPeak: { 'zh-CN': '{series} 最高 {v}（{month}）。', 'en-US': '{series} peaked at {v} in {month}.' },
  sumFlows: {
    'zh-CN': '{title}：{from} 至 {to}。最新月 {last}：{values}。',
    'en-US': '{title}: {from} to {to}. In {last}: {values}.',
  },
  sumRoll: {
    'zh-CN': '{title}（{t0} → {t1}）：{values}。',
    'en-US': '{title} ({t0} → {t1}): {values}.',
  },
  sumRollRow: {
    'zh-CN': '{from} 转正常 {cure}、保持 {stay}、恶化 {worse}',
    'en-US': '{from}: {cure} cured, {stay} stayed, {worse} rolled forward',
  },
  // Errors of the element itself (result shape).
  badShape: {
    'zh-CN': '结果缺少字段 {field}（显示方式 {display} 需要 {metric} 指标的结果）',
    'en-US': 'The result lacks the field "{field}" (display "{display}" needs a {metric} result)',
  },
} satisfies Record<string, { 'zh-CN': string; 'en-US': string }>;

registerMessages(OVERDUE_AREA, overdueTrendMessages);
