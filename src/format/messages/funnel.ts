/** Messages of `<fin-funnel>` (area `funnel`). Plain text only; rendered as text nodes. */
import { registerMessages } from '../messages.js';

export const funnel = {
  title: { 'zh-CN': '转化漏斗', 'en-US': 'Conversion funnel' },
  stage: { 'zh-CN': '阶段', 'en-US': 'Stage' },
  group: { 'zh-CN': '分组', 'en-US': 'Group' },
  groupBy: { 'zh-CN': '分组（{field}）', 'en-US': 'Group ({field})' },
  count: { 'zh-CN': '人数', 'en-US': 'Count' },
  stepConversion: { 'zh-CN': '步骤转化率', 'en-US': 'Step conversion' },
  overallConversion: { 'zh-CN': '总体转化率', 'en-US': 'Overall conversion' },
  dropOff: { 'zh-CN': '流失', 'en-US': 'Drop-off' },
  medianTime: { 'zh-CN': '中位耗时', 'en-US': 'Median time' },
  /** Short labels drawn on the chart. */
  stepShort: { 'zh-CN': '转化 {v}', 'en-US': 'Step {v}' },
  overallShort: { 'zh-CN': '总体 {v}', 'en-US': 'Overall {v}' },
  dropShort: { 'zh-CN': '流失 {v}', 'en-US': '−{v} lost' },
  dropNone: { 'zh-CN': '无流失', 'en-US': 'none lost' },
  gainShort: { 'zh-CN': '增加 {v}', 'en-US': '+{v} more' },
  medianShort: { 'zh-CN': '中位 {v}', 'en-US': 'median {v}' },
  firstStage: { 'zh-CN': '起点', 'en-US': 'Entry' },
  cac: { 'zh-CN': '获客成本 (CAC)', 'en-US': 'Acquisition cost (CAC)' },
  cacDetail: {
    'zh-CN': '· 投放 {spend} ÷ {stage} {n}\u00a0人',
    'en-US': '· spend {spend} ÷ {n} at {stage}',
  },
  cacShort: { 'zh-CN': '获客成本 {cac}／人', 'en-US': 'CAC {cac} per customer' },
  modeStrict: { 'zh-CN': '严格顺序', 'en-US': 'Strict order' },
  modeLoose: { 'zh-CN': '宽松（各阶段独立计数）', 'en-US': 'Loose (stages counted independently)' },
  /** aria-label of a stage bar. */
  stageAria: {
    'zh-CN': '{stage}：{count} 人{rest}',
    'en-US': '{stage}: {count}{rest}',
  },
  groupAria: {
    'zh-CN': '{group} · {stage}：{count} 人{rest}',
    'en-US': '{group} · {stage}: {count}{rest}',
  },
  summary: {
    'zh-CN':
      '{title}：共 {n} 个阶段，从「{first}」{firstCount} 人到「{last}」{lastCount} 人，总体转化率 {overall}。',
    'en-US':
      '{title}: {n} stages, from “{first}” ({firstCount}) to “{last}” ({lastCount}); overall conversion {overall}.',
  },
  summaryDrop: {
    'zh-CN': '流失最多的一步是「{from}」→「{to}」，流失 {drop} 人（步骤转化率 {step}）。',
    'en-US': 'The largest drop-off is “{from}” → “{to}”: {drop} lost (step conversion {step}).',
  },
  summaryGroups: {
    'zh-CN': '按{field}分组：{list}。',
    'en-US': 'By {field}: {list}.',
  },
  legend: { 'zh-CN': '图例', 'en-US': 'Legend' },
  stages: { 'zh-CN': '漏斗阶段', 'en-US': 'Funnel stages' },
  total: { 'zh-CN': '全部', 'en-US': 'All' },
  missingGroup: { 'zh-CN': '（未知）', 'en-US': '(missing)' },
  groupPart: { 'zh-CN': '{group} {count}（总体 {pct}）', 'en-US': '{group} {count} (overall {pct})' },
};

registerMessages('funnel', funnel);
