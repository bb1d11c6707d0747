/**
 * Messages of `<fin-cohort>` and its spec builder (src/specs/cohort.ts), area `cohort`.
 * Importing this module registers them; read them with `msg(locale, key, vars, 'cohort')`.
 */
import { registerMessages } from '../messages.js';

export const COHORT_AREA = 'cohort';

export const cohortMessages = {
  cohort: { 'zh-CN': '同期群', 'en-US': 'Cohort' },
  vintage: { 'zh-CN': '放款月', 'en-US': 'Vintage' },
  customers: { 'zh-CN': '客户数', 'en-US': 'Customers' },
  principal: { 'zh-CN': '放款本金', 'en-US': 'Principal' },
  loans: { 'zh-CN': '放款笔数', 'en-US': 'Loans' },
  /** Column header of period p (retention). */
  periodCol: { 'zh-CN': 'p{n}', 'en-US': 'p{n}' },
  /** Column header of MOB k (vintage). */
  mobCol: { 'zh-CN': 'MOB{n}', 'en-US': 'MOB{n}' },
  axisMonth: { 'zh-CN': '距同期群起始月数 p', 'en-US': 'Months since cohort start (p)' },
  axisWeek: { 'zh-CN': '距同期群起始周数 p', 'en-US': 'Weeks since cohort start (p)' },
  axisQuarter: { 'zh-CN': '距同期群起始季数 p', 'en-US': 'Quarters since cohort start (p)' },
  axisMob: { 'zh-CN': '账龄 MOB（月）', 'en-US': 'Months on book (MOB)' },
  valueRetention: { 'zh-CN': '留存率', 'en-US': 'Retention' },
  valueCount: { 'zh-CN': '活跃数', 'en-US': 'Active' },
  valueAmount: { 'zh-CN': '金额留存', 'en-US': 'Amount retention' },
  valueVintage: { 'zh-CN': '不良率', 'en-US': 'Bad rate' },
  active: { 'zh-CN': '活跃', 'en-US': 'Active' },
  bad: { 'zh-CN': '不良', 'en-US': 'Bad' },
  amount: { 'zh-CN': '金额', 'en-US': 'Amount' },
  snapshot: { 'zh-CN': '快照月', 'en-US': 'Snapshot' },
  censored: { 'zh-CN': '空白 = 尚未观察到（右删失）', 'en-US': 'Blank = not yet observed (right-censored)' },
  censoredCell: { 'zh-CN': '尚未观察到', 'en-US': 'Not yet observed' },
  display: { 'zh-CN': '显示方式', 'en-US': 'Display' },
  matrix: { 'zh-CN': '矩阵', 'en-US': 'Matrix' },
  curves: { 'zh-CN': '曲线', 'en-US': 'Curves' },
  pickCohort: { 'zh-CN': '选择同期群', 'en-US': 'Select cohort' },
  pickVintage: { 'zh-CN': '选择放款月', 'en-US': 'Select vintage' },
  allCohorts: { 'zh-CN': '全部', 'en-US': 'All' },
  summaryRetention: {
    'zh-CN': '{title}：{n} 个同期群（{range}），观察 {periods} 期。',
    'en-US': '{title}: {n} {cohorts} ({range}), {periods} {periodsWord} observed.',
  },
  summaryVintage: {
    'zh-CN': '{title}：{n} 个放款月（{range}），MOB 0 至 {maxMob}。',
    'en-US': '{title}: {n} {cohorts} ({range}), MOB 0 to {maxMob}.',
  },
  summaryAvg: {
    'zh-CN': '{col} 平均 {value}（{n} {cohorts}）。',
    'en-US': 'Average at {col}: {value} ({n} {cohorts}).',
  },
  summaryHigh: {
    'zh-CN': '{col} 最高为 {label}（{value}），最低为 {lowLabel}（{lowValue}）。',
    'en-US': 'Highest at {col}: {label} ({value}); lowest: {lowLabel} ({lowValue}).',
  },
  /** Plural words for the summary (zh-CN has no plural; the counters are in the sentences). */
  cohortOne: { 'zh-CN': '个同期群', 'en-US': 'cohort' },
  cohortMany: { 'zh-CN': '个同期群', 'en-US': 'cohorts' },
  vintageOne: { 'zh-CN': '个放款月', 'en-US': 'vintage' },
  vintageMany: { 'zh-CN': '个放款月', 'en-US': 'vintages' },
  periodOne: { 'zh-CN': '期', 'en-US': 'period' },
  periodMany: { 'zh-CN': '期', 'en-US': 'periods' },
  range: { 'zh-CN': '{a} 至 {b}', 'en-US': '{a} to {b}' },
  summaryCensored: {
    'zh-CN': '空白单元格为尚未观察到的周期（右删失），不是 0。',
    'en-US': 'Blank cells are periods not yet observed (right-censored), not 0.',
  },
} as const;

registerMessages(COHORT_AREA, cohortMessages);
