/**
 * Messages of `<fin-rfm>` and its spec builder (src/specs/rfm.ts), area `rfm`.
 * Importing this module registers them; read them with `msg(locale, key, vars, 'rfm')`.
 * Plain text, rendered only as text nodes (or as Vega text marks from `data.values`).
 */
import { registerMessages } from '../messages.js';

export const RFM_AREA = 'rfm';

export const rfmMessages = {
  // Controls
  display: { 'zh-CN': '视图', 'en-US': 'View' },
  overview: { 'zh-CN': '概览', 'en-US': 'Overview' },
  grid: { 'zh-CN': 'R×F 网格', 'en-US': 'R × F grid' },
  table: { 'zh-CN': '分群明细', 'en-US': 'Segment table' },
  overviewKind: { 'zh-CN': '概览图形', 'en-US': 'Overview chart' },
  bar: { 'zh-CN': '条形图', 'en-US': 'Bars' },
  treemap: { 'zh-CN': '矩形树图', 'en-US': 'Treemap' },
  scheme: { 'zh-CN': '分群方案', 'en-US': 'Segmentation' },
  cn8: { 'zh-CN': '八类（RFM）', 'en-US': '8 segments (RFM)' },
  rf10: { 'zh-CN': '十类（R×F）', 'en-US': '10 segments (R × F)' },
  segments: { 'zh-CN': '客户分群', 'en-US': 'Segments' },

  // Measures and columns
  segment: { 'zh-CN': '客户分群', 'en-US': 'Segment' },
  customers: { 'zh-CN': '客户数', 'en-US': 'Customers' },
  share: { 'zh-CN': '客户占比', 'en-US': 'Share' },
  monetary: { 'zh-CN': '金额合计', 'en-US': 'Σ Monetary' },
  monetaryShare: { 'zh-CN': '金额占比', 'en-US': 'Value share' },
  meanRecencyDays: { 'zh-CN': '平均距今天数', 'en-US': 'Avg recency (days)' },
  meanFrequency: { 'zh-CN': '平均交易笔数', 'en-US': 'Avg frequency' },
  meanMonetary: { 'zh-CN': '户均金额', 'en-US': 'Avg monetary' },
  meanScores: { 'zh-CN': '平均得分 R / F / M', 'en-US': 'Avg scores R / F / M' },
  monetaryMean: { 'zh-CN': '金额（笔均）', 'en-US': 'Monetary (mean)' },
  customersN: { 'zh-CN': '{n} 户', 'en-US': '{n} customers' },
  /** A column of amounts in CNY (the cells carry no currency sign). */
  cny: { 'zh-CN': '{label}（元）', 'en-US': '{label} (CNY)' },

  // Grid
  rAxis: { 'zh-CN': 'R 得分（越近越高）', 'en-US': 'R score (recent = 5)' },
  fAxis: { 'zh-CN': 'F 得分（越频繁越高）', 'en-US': 'F score (frequent = 5)' },
  rScore: { 'zh-CN': 'R 得分', 'en-US': 'R score' },
  fScore: { 'zh-CN': 'F 得分', 'en-US': 'F score' },
  'quadrant.value': { 'zh-CN': '价值客户', 'en-US': 'Value' },
  'quadrant.develop': { 'zh-CN': '发展客户', 'en-US': 'Develop' },
  'quadrant.retain': { 'zh-CN': '保持客户', 'en-US': 'Retain' },
  'quadrant.winback': { 'zh-CN': '挽留客户', 'en-US': 'Win-back' },
  quadrantBoth: { 'zh-CN': '{name}（重要 + 一般）', 'en-US': '{name} (important + general)' },
  quadrantNote: {
    'zh-CN': '八类方案中同一格的客户再按 M 分为“重要”与“一般”',
    'en-US': 'In the 8-segment scheme a cell’s customers split by M into important and general',
  },
  thresholdNote: {
    'zh-CN': '虚线：高/低分界（平均得分 R {r}，F {f}）',
    'en-US': 'Dashed lines: high/low split (mean score R {r}, F {f})',
  },
  // The cn8 高/低 rule in use (rfm `threshold`): the default score ≥ 4, the mean value, a fixed score.
  thresholdNoteScore4: {
    'zh-CN': '虚线：高/低分界（得分 ≥ 4 为高，即前两个五分位）',
    'en-US': 'Dashed lines: high/low split (a score of 4 or 5, the top two quintiles, is high)',
  },
  thresholdNoteMeanValue: {
    'zh-CN': '高/低分界：原始值与平均值比较（R 平均 {r} 天，F 平均 {f} 笔；R 低于平均为高）',
    'en-US':
      'High/low split: raw values against their means (R mean {r} days, F mean {f}; R below its mean is high)',
  },
  thresholdNoteFixed: {
    'zh-CN': '虚线：高/低分界（得分高于 {r} 为高）',
    'en-US': 'Dashed lines: high/low split (a score above {r} is high)',
  },
  noGrid: {
    'zh-CN': '结果中没有 R×F 网格数据（meta.grid）',
    'en-US': 'The result carries no R × F grid (meta.grid)',
  },

  // Context line and notes
  context: {
    'zh-CN': '截至 {asOf} · 近 {w} 天 · 已评分 {n} 户',
    'en-US': 'As of {asOf} · last {w} days · {n} customers scored',
  },
  unscored: {
    'zh-CN': '未评分 {n} 户（窗口内无交易）',
    'en-US': '{n} customers not scored (no transaction in the window)',
  },

  // Customer list
  listTitle: { 'zh-CN': '{segment} · 共 {total} 户', 'en-US': '{segment} · {total} customers' },
  listShowing: { 'zh-CN': '显示前 {n} 户', 'en-US': 'showing the first {n}' },
  listLoading: { 'zh-CN': '正在加载客户名单…', 'en-US': 'Loading the customer list…' },
  listNoEngine: {
    'zh-CN': '客户名单需要分析引擎：请设置 engine 或 data，或在结果中提供 meta.customers。',
    'en-US':
      'The customer list needs an engine: set `engine` or `data`, or provide `meta.customers` in the result.',
  },
  listEmpty: { 'zh-CN': '该分群没有客户', 'en-US': 'No customers in this segment' },
  listError: { 'zh-CN': '客户名单加载失败', 'en-US': 'The customer list could not be loaded' },
  listCaption: {
    'zh-CN': '{segment}客户名单（按 R、F、M 得分降序）',
    'en-US': '{segment}: customers (by R, F, M score, descending)',
  },
  colCustomer: { 'zh-CN': '客户', 'en-US': 'Customer' },
  colName: { 'zh-CN': '姓名', 'en-US': 'Name' },
  colRecency: { 'zh-CN': '距今天数', 'en-US': 'Recency (days)' },
  colFrequency: { 'zh-CN': '交易笔数', 'en-US': 'Transactions' },
  colMonetary: { 'zh-CN': '金额', 'en-US': 'Monetary' },
  colScore: { 'zh-CN': 'R-F-M 得分', 'en-US': 'R-F-M score' },
  colSegment: { 'zh-CN': '分群', 'en-US': 'Segment' },

  // Selection
  select: { 'zh-CN': '选择{label}', 'en-US': 'Select {label}' },
  selectHint: { 'zh-CN': '查看客户名单并筛选', 'en-US': 'show its customers and filter' },

  // Summary
  summary: {
    'zh-CN':
      '{title}：{n} 位客户分为 {k} 个分群。客户最多的是{top}（{topN} 户，占 {topShare}）；金额最高的是{topM}（占金额 {topMShare}）。',
    'en-US':
      '{title}: {n} customers in {k} segments. Largest: {top} ({topN} customers, {topShare}); most value: {topM} ({topMShare} of value).',
  },

  // Quality reasons of the rfm metric (not in the common list)
  'reason.missing_customer': { 'zh-CN': '缺少客户号', 'en-US': 'missing customer id' },
  'reason.missing_date': { 'zh-CN': '缺少交易日期', 'en-US': 'missing transaction date' },
  'reason.missing_amount': { 'zh-CN': '缺少金额', 'en-US': 'missing amount' },
  'reason.after_as_of': { 'zh-CN': '晚于截止日', 'en-US': 'after the as-of date' },
  'reason.before_window': { 'zh-CN': '早于统计窗口', 'en-US': 'before the window' },
} as const;

registerMessages(RFM_AREA, rfmMessages);
