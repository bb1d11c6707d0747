/** Messages of `<fin-heatmap>` (area `heatmap`). Plain text, rendered only as text nodes. */
import { registerMessages } from '../messages.js';

export const heatmapMessages = {
  noData: { 'zh-CN': '无数据', 'en-US': 'No data' },
  blank: { 'zh-CN': '(空)', 'en-US': '(blank)' },
  value: { 'zh-CN': '数值', 'en-US': 'Value' },
  rows: { 'zh-CN': '样本数', 'en-US': 'Rows' },
  hour: { 'zh-CN': '小时', 'en-US': 'Hour' },
  dow: { 'zh-CN': '星期', 'en-US': 'Weekday' },
  month: { 'zh-CN': '月份', 'en-US': 'Month' },
  week: { 'zh-CN': '周', 'en-US': 'Week' },
  day: { 'zh-CN': '日期', 'en-US': 'Date' },
  quarter: { 'zh-CN': '季度', 'en-US': 'Quarter' },
  year: { 'zh-CN': '年份', 'en-US': 'Year' },
  // Canonical category fields (METRICS.md) and the bank-marketing columns of the demo.
  'field.region': { 'zh-CN': '地区', 'en-US': 'Region' },
  'field.city': { 'zh-CN': '城市', 'en-US': 'City' },
  'field.channel': { 'zh-CN': '渠道', 'en-US': 'Channel' },
  'field.product': { 'zh-CN': '产品', 'en-US': 'Product' },
  'field.team': { 'zh-CN': '团队', 'en-US': 'Team' },
  'field.segment': { 'zh-CN': '客群', 'en-US': 'Segment' },
  'field.gender': { 'zh-CN': '性别', 'en-US': 'Gender' },
  'field.status': { 'zh-CN': '状态', 'en-US': 'Status' },
  'field.category': { 'zh-CN': '类别', 'en-US': 'Category' },
  'field.direction': { 'zh-CN': '方向', 'en-US': 'Direction' },
  'field.counterparty_type': { 'zh-CN': '交易对手类型', 'en-US': 'Counterparty type' },
  'field.collector_id': { 'zh-CN': '催收员', 'en-US': 'Collector' },
  'field.stage': { 'zh-CN': '阶段', 'en-US': 'Stage' },
  'field.campaign': { 'zh-CN': '活动', 'en-US': 'Campaign' },
  'field.job': { 'zh-CN': '职业', 'en-US': 'Job' },
  'field.education': { 'zh-CN': '教育程度', 'en-US': 'Education' },
  'field.marital': { 'zh-CN': '婚姻状况', 'en-US': 'Marital status' },
  'field.contact': { 'zh-CN': '联系方式', 'en-US': 'Contact' },
  'field.poutcome': { 'zh-CN': '上次营销结果', 'en-US': 'Previous outcome' },
  'field.age': { 'zh-CN': '年龄', 'en-US': 'Age' },
  'field.month': { 'zh-CN': '月份', 'en-US': 'Month' },
  'field.day_of_week': { 'zh-CN': '星期', 'en-US': 'Weekday' },
  // Titles of the ready-made presets (the metric's own title is the generic 热力图 / Heatmap).
  'preset.contact-rate-weekday-hour': {
    'zh-CN': '接触率：星期 × 时段',
    'en-US': 'Contact rate by weekday × hour',
  },
  'preset.overdue-region-month': {
    'zh-CN': '逾期率：地区 × 月份',
    'en-US': 'Overdue rate by region × month',
  },
  'preset.txn-weekday-hour': { 'zh-CN': '交易笔数：星期 × 时段', 'en-US': 'Transactions by weekday × hour' },
  summary: {
    'zh-CN': '{title}：{ny} 行 × {nx} 列共 {cells} 格，最高 {maxAt} {max}，最低 {minAt} {min}。',
    'en-US': '{title}: {ny} rows × {nx} columns, {cells} cells; highest {maxAt} {max}, lowest {minAt} {min}.',
  },
  summaryNulls: { 'zh-CN': '{k} 格无数据。', 'en-US': '{k} cells have no data.' },
  vsMid: { 'zh-CN': '较中点 {mid}', 'en-US': 'vs midpoint {mid}' },
  select: { 'zh-CN': '选择 {label}', 'en-US': 'Select {label}' },
  selectHint: { 'zh-CN': '按 {dim} 筛选', 'en-US': 'filter by {dim}' },
  legend: { 'zh-CN': '颜色：{lo} 至 {hi}', 'en-US': 'Colour: {lo} to {hi}' },
} as const;

registerMessages('heatmap', heatmapMessages);
