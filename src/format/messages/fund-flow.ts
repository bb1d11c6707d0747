/** Messages of `<fin-fund-flow>` (area `fund-flow`). Plain text only; rendered as text nodes. */
import { registerMessages } from '../messages.js';

export const FUND_FLOW_AREA = 'fund-flow';

export const fundFlow = {
  // Displays
  titleSankey: { 'zh-CN': '资金流向桑基图', 'en-US': 'Fund-flow sankey' },
  titleTrend: { 'zh-CN': '资金净流入趋势', 'en-US': 'Net fund-flow trend' },
  titleAlerts: { 'zh-CN': '大额与可疑交易预警', 'en-US': 'Large and suspicious transaction alerts' },

  // Sankey
  columnIn: { 'zh-CN': '流入类别', 'en-US': 'Inflow' },
  columnOut: { 'zh-CN': '流出类别', 'en-US': 'Outflow' },
  columnSegment: { 'zh-CN': '客户分层', 'en-US': 'Segment' },
  columnCustomers: { 'zh-CN': '客户', 'en-US': 'Customers' },
  columnRegion: { 'zh-CN': '地区', 'en-US': 'Region' },
  columnCity: { 'zh-CN': '城市', 'en-US': 'City' },
  columnGender: { 'zh-CN': '性别', 'en-US': 'Gender' },
  columnChannel: { 'zh-CN': '渠道', 'en-US': 'Channel' },
  other: { 'zh-CN': '其他', 'en-US': 'Other' },
  allCustomers: { 'zh-CN': '全部客户', 'en-US': 'All customers' },
  unknown: { 'zh-CN': '未知', 'en-US': 'Unknown' },
  sankeyLabel: {
    'zh-CN': '资金流向：{in} → {mid} → {out}',
    'en-US': 'Fund flow: {in} → {mid} → {out}',
  },
  nodeIn: {
    'zh-CN': '流入 {name}：{v}，占流入 {share}',
    'en-US': 'Inflow {name}: {v}, {share} of inflow',
  },
  nodeOut: {
    'zh-CN': '流出 {name}：{v}，占流出 {share}',
    'en-US': 'Outflow {name}: {v}, {share} of outflow',
  },
  nodeMid: {
    'zh-CN': '{name}：流入 {in}，流出 {out}，净流入 {net}',
    'en-US': '{name}: inflow {in}, outflow {out}, net {net}',
  },
  nodeNotSelectable: { 'zh-CN': '（合并项，不可筛选）', 'en-US': ' (grouped, not selectable)' },
  linkText: { 'zh-CN': '{from} → {to}：{v}', 'en-US': '{from} → {to}: {v}' },
  linkShare: { 'zh-CN': '占 {from} 的 {share}', 'en-US': '{share} of {from}' },
  midDetail: { 'zh-CN': '流入 {in} · 流出 {out}', 'en-US': 'in {in} · out {out}' },
  tipInflow: { 'zh-CN': '流入 {v}', 'en-US': 'Inflow {v}' },
  tipOutflow: { 'zh-CN': '流出 {v}', 'en-US': 'Outflow {v}' },
  tipNet: { 'zh-CN': '净流入 {v}', 'en-US': 'Net {v}' },
  tipShareIn: { 'zh-CN': '占总流入 {v}', 'en-US': '{v} of all inflow' },
  tipShareOut: { 'zh-CN': '占总流出 {v}', 'en-US': '{v} of all outflow' },
  tipSelect: { 'zh-CN': '点击或按 Enter 筛选', 'en-US': 'Click or press Enter to filter' },
  tipGrouped: { 'zh-CN': '合并项，不可筛选', 'en-US': 'Grouped; not selectable' },
  loadingLayout: { 'zh-CN': '正在布局…', 'en-US': 'Laying out…' },
  stage: { 'zh-CN': '流向', 'en-US': 'Stage' },
  stageIn: { 'zh-CN': '流入 → 客户', 'en-US': 'Inflow → customers' },
  stageOut: { 'zh-CN': '客户 → 流出', 'en-US': 'Customers → outflow' },
  from: { 'zh-CN': '来源', 'en-US': 'From' },
  to: { 'zh-CN': '去向', 'en-US': 'To' },
  amount: { 'zh-CN': '金额', 'en-US': 'Amount' },
  shareOfSource: { 'zh-CN': '占来源比例', 'en-US': 'Share of source' },
  sumSankey: {
    'zh-CN': '{title}：流入合计 {in}，流出合计 {out}，{netText}。',
    'en-US': '{title}: total inflow {in}, total outflow {out}, {netText}.',
  },
  sumNetIn: { 'zh-CN': '净流入 {v}', 'en-US': 'net inflow {v}' },
  sumNetOut: { 'zh-CN': '净流出 {v}', 'en-US': 'net outflow {v}' },
  sumTopIn: {
    'zh-CN': '最大流入类别「{name}」{v}（{share}）',
    'en-US': 'largest inflow “{name}” {v} ({share})',
  },
  sumTopOut: {
    'zh-CN': '最大流出类别「{name}」{v}（{share}）',
    'en-US': 'largest outflow “{name}” {v} ({share})',
  },
  sumMid: { 'zh-CN': '{name} 流入 {in} / 流出 {out}', 'en-US': '{name} in {in} / out {out}' },

  // Trend
  period: { 'zh-CN': '期间', 'en-US': 'Period' },
  weekOf: { 'zh-CN': '{d}当周', 'en-US': 'Week of {d}' },
  group: { 'zh-CN': '分组', 'en-US': 'Group' },
  groupBy: { 'zh-CN': '分组（{field}）', 'en-US': 'Group ({field})' },
  missingGroup: { 'zh-CN': '（未知）', 'en-US': '(missing)' },
  inflow: { 'zh-CN': '流入', 'en-US': 'Inflow' },
  outflow: { 'zh-CN': '流出', 'en-US': 'Outflow' },
  net: { 'zh-CN': '净流入', 'en-US': 'Net flow' },
  netIn: { 'zh-CN': '净流入', 'en-US': 'Net inflow' },
  netOut: { 'zh-CN': '净流出', 'en-US': 'Net outflow' },
  cumulative: { 'zh-CN': '累计净流入', 'en-US': 'Cumulative net' },
  count: { 'zh-CN': '笔数', 'en-US': 'Transactions' },
  axisNet: { 'zh-CN': '净流入（元）', 'en-US': 'Net flow (CNY)' },
  axisCum: { 'zh-CN': '累计（元）', 'en-US': 'Cumulative (CNY)' },
  legendLabel: { 'zh-CN': '图例', 'en-US': 'Legend' },
  tipCount: { 'zh-CN': '交易 {v} 笔', 'en-US': '{v} transactions' },
  tipValue: { 'zh-CN': '{name} {v}', 'en-US': '{name} {v}' },
  periodHint: { 'zh-CN': '点击筛选该期间', 'en-US': 'Click to filter this period' },
  sumTrend: {
    'zh-CN': '{title}：{from}至{to}共 {n} 期，流入 {in}，流出 {out}，{netText}；期末累计净流入 {cum}。',
    'en-US':
      '{title}: {n} periods from {from} to {to}; inflow {in}, outflow {out}, {netText}; cumulative net at the end {cum}.',
  },
  sumBest: { 'zh-CN': '净流入最多的是{p}（{v}）', 'en-US': 'largest net inflow in {p} ({v})' },
  sumWorst: { 'zh-CN': '净流出最多的是{p}（{v}）', 'en-US': 'largest net outflow in {p} ({v})' },

  // Alerts
  date: { 'zh-CN': '日期', 'en-US': 'Date' },
  customer: { 'zh-CN': '客户', 'en-US': 'Customer' },
  rule: { 'zh-CN': '规则', 'en-US': 'Rule' },
  direction: { 'zh-CN': '收付', 'en-US': 'In/out' },
  amountCny: { 'zh-CN': '金额（元）', 'en-US': 'Amount (CNY)' },
  countHead: { 'zh-CN': '笔数', 'en-US': 'Txns' },
  countShort: { 'zh-CN': '{n} 笔', 'en-US': '{n} txn' },
  since: { 'zh-CN': '自 {d} 起', 'en-US': 'from {d}' },
  dirIn: { 'zh-CN': '收', 'en-US': 'In' },
  dirOut: { 'zh-CN': '付', 'en-US': 'Out' },
  single: { 'zh-CN': '单笔', 'en-US': 'single' },
  daily: { 'zh-CN': '当日累计', 'en-US': 'daily total' },
  threshold: { 'zh-CN': '阈值', 'en-US': 'Threshold' },
  txnIds: { 'zh-CN': '交易号', 'en-US': 'Transaction ids' },
  ruleCash: { 'zh-CN': '大额现金', 'en-US': 'Large cash' },
  ruleIndividualDomestic: { 'zh-CN': '大额转账(个人)', 'en-US': 'Large transfer (individual)' },
  ruleIndividualCrossBorder: { 'zh-CN': '跨境(个人)', 'en-US': 'Cross-border (individual)' },
  ruleNonIndividual: { 'zh-CN': '大额转账(非个人)', 'en-US': 'Large transfer (non-individual)' },
  ruleStructuring: { 'zh-CN': '疑似拆分交易', 'en-US': 'Suspected structuring' },
  alertsCount: { 'zh-CN': '预警', 'en-US': 'Alerts' },
  alertsWord: { 'zh-CN': '条预警', 'en-US': 'alerts' },
  alertsShown: { 'zh-CN': '显示最近 {n} 条', 'en-US': 'latest {n} shown' },
  alertsFiltered: { 'zh-CN': '已筛选 {n} 条', 'en-US': '{n} shown' },
  ruleFilter: { 'zh-CN': '按规则筛选', 'en-US': 'Filter by rule' },
  allRules: { 'zh-CN': '全部', 'en-US': 'All' },
  sortBy: { 'zh-CN': '按{col}排序', 'en-US': 'Sort by {col}' },
  selectCustomer: { 'zh-CN': '筛选客户 {c}', 'en-US': 'Filter customer {c}' },
  episode: { 'zh-CN': '{from} 至 {to}', 'en-US': '{from} – {to}' },
  noAlerts: {
    'zh-CN': '所选范围内没有交易达到报告阈值或构成疑似拆分。',
    'en-US': 'No transaction in the selected range reached a reporting threshold or looked like structuring.',
  },
  noAlertsForRule: { 'zh-CN': '该规则下没有预警。', 'en-US': 'No alerts for this rule.' },
  thresholdsNote: { 'zh-CN': '阈值：{list}', 'en-US': 'Thresholds: {list}' },
  thresholdItem: { 'zh-CN': '{rule} ≥ {v}', 'en-US': '{rule} ≥ {v}' },
  structuringItem: {
    'zh-CN': '{rule}：{days} 天内 ≥ {n} 笔、每笔为阈值的 {lo}–{hi}',
    'en-US': '{rule}: ≥ {n} transactions within {days} days, each at {lo}–{hi} of a threshold',
  },
  sumAlerts: {
    'zh-CN': '{title}：共 {n} 条预警（{byRule}）。',
    'en-US': '{title}: {n} alerts ({byRule}).',
  },
  sumLargest: {
    'zh-CN': '金额最大的一条：{date} 客户 {customer}，{rule}，{v}。',
    'en-US': 'Largest: {date}, customer {customer}, {rule}, {v}.',
  },

  // Quality reasons the transaction metrics report (not in the common list).
  reason_invalid_amount_or_direction: {
    'zh-CN': '金额或方向无效',
    'en-US': 'invalid amount or direction',
  },
  reason_invalid: { 'zh-CN': '缺少客户、日期或金额', 'en-US': 'missing customer, date or amount' },
  reason_unclassified: { 'zh-CN': '无法归入规则', 'en-US': 'not classifiable under a rule' },
  reason_missing_date: { 'zh-CN': '缺少日期', 'en-US': 'missing date' },
  reason_missing_amount: { 'zh-CN': '缺少金额', 'en-US': 'missing amount' },
  reason_missing_direction: { 'zh-CN': '方向缺失或无效', 'en-US': 'missing or invalid direction' },

  badShape: {
    'zh-CN': '结果缺少字段「{field}」：显示方式 {display} 需要 {metric} 指标的结果。',
    'en-US': 'The result has no "{field}" field: display {display} needs a {metric} result.',
  },
};

registerMessages(FUND_FLOW_AREA, fundFlow);
