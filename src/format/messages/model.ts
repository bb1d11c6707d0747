/**
 * Messages of `<fin-model>` and its spec builders (src/specs/model*.ts). Registered as the `model`
 * area; read them with `msg(locale, key, vars, MODEL_AREA)`.
 */
import { registerMessages } from '../messages.js';

/** Message area id. */
export const MODEL_AREA = 'model';

export const modelMessages = {
  title: { 'zh-CN': '模型监控', 'en-US': 'Model monitoring' },
  // Displays (tabs).
  viewOverview: { 'zh-CN': '概览', 'en-US': 'Overview' },
  viewCurves: { 'zh-CN': 'ROC / KS', 'en-US': 'ROC / KS' },
  viewBands: { 'zh-CN': '分数段', 'en-US': 'Score bands' },
  viewStability: { 'zh-CN': '稳定性', 'en-US': 'Stability' },
  viewFeatures: { 'zh-CN': '特征', 'en-US': 'Features' },
  views: { 'zh-CN': '视图', 'en-US': 'Views' },
  // Tiles.
  tileKs: { 'zh-CN': 'KS', 'en-US': 'KS' },
  tileAuc: { 'zh-CN': 'AUC', 'en-US': 'AUC' },
  tileGini: { 'zh-CN': 'Gini', 'en-US': 'Gini' },
  tilePsi: { 'zh-CN': 'PSI', 'en-US': 'PSI' },
  development: { 'zh-CN': '开发样本', 'en-US': 'Development' },
  monitoring: { 'zh-CN': '监控样本', 'en-US': 'Monitoring' },
  devValue: { 'zh-CN': '开发 {v}', 'en-US': 'Dev {v}' },
  vsDevelopment: { 'zh-CN': '相对开发样本', 'en-US': 'vs development' },
  ksAt: { 'zh-CN': '切分点 PD {pd}', 'en-US': 'cut-off PD {pd}' },
  ksAtScore: { 'zh-CN': '切分点 PD {pd}（{score} 分）', 'en-US': 'cut-off PD {pd} (score {score})' },
  sampleLine: {
    'zh-CN': '监控样本 {n} 笔，坏样本 {bads}（{rate}）',
    'en-US': 'Monitoring sample {n}, {bads} bad ({rate})',
  },
  trendOf: { 'zh-CN': '{name} 月度趋势', 'en-US': '{name} monthly trend' },
  statusGreen: { 'zh-CN': '良好', 'en-US': 'Good' },
  statusAmber: { 'zh-CN': '关注', 'en-US': 'Watch' },
  statusRed: { 'zh-CN': '不足', 'en-US': 'Weak' },
  psiGreen: { 'zh-CN': '稳定', 'en-US': 'Stable' },
  psiAmber: { 'zh-CN': '关注', 'en-US': 'Watch' },
  psiRed: { 'zh-CN': '偏移', 'en-US': 'Shifted' },
  statusNone: { 'zh-CN': '无数据', 'en-US': 'No data' },
  thresholds: { 'zh-CN': '状态阈值', 'en-US': 'Status thresholds' },
  thresholdText: {
    'zh-CN':
      'KS < 0.20 红、0.20–0.30 黄、≥ 0.30 绿；AUC < 0.65 红、0.65–0.75 黄、≥ 0.75 绿；Gini < 0.30 红、0.30–0.50 黄、≥ 0.50 绿（与 AUC 阈值一致，Gini = 2·AUC − 1）；PSI < 0.10 绿（稳定）、0.10–0.25 黄（关注）、≥ 0.25 红（偏移）。各指标取监控样本（测试集）的值。',
    'en-US':
      'KS < 0.20 red, 0.20–0.30 amber, ≥ 0.30 green; AUC < 0.65 red, 0.65–0.75 amber, ≥ 0.75 green; Gini < 0.30 red, 0.30–0.50 amber, ≥ 0.50 green (the AUC cut-offs, Gini = 2·AUC − 1); PSI < 0.10 green (stable), 0.10–0.25 amber (watch), ≥ 0.25 red (shifted). Each figure is the monitoring (test) sample’s.',
  },
  // Axes and series.
  month: { 'zh-CN': '月份', 'en-US': 'Month' },
  value: { 'zh-CN': '数值', 'en-US': 'Value' },
  fpr: { 'zh-CN': '累计好样本占比（假正率）', 'en-US': 'Cum. good % (false positive rate)' },
  tpr: { 'zh-CN': '累计坏样本占比（真正率）', 'en-US': 'Cum. bad % (true positive rate)' },
  population: { 'zh-CN': '按 PD 从高到低累计样本占比', 'en-US': 'Share of sample, riskiest first' },
  cumShare: { 'zh-CN': '累计占比', 'en-US': 'Cumulative share' },
  cumBad: { 'zh-CN': '累计坏%', 'en-US': 'Cum. bad %' },
  cumGood: { 'zh-CN': '累计好%', 'en-US': 'Cum. good %' },
  random: { 'zh-CN': '随机', 'en-US': 'Random' },
  rocTitle: { 'zh-CN': 'ROC 曲线（AUC {auc}）', 'en-US': 'ROC curve (AUC {auc})' },
  ksTitle: { 'zh-CN': 'KS 曲线（KS {ks}）', 'en-US': 'KS curve (KS {ks})' },
  ksLabel: { 'zh-CN': 'KS {ks}', 'en-US': 'KS {ks}' },
  band: { 'zh-CN': '分数段（1 = 风险最高）', 'en-US': 'Score band (1 = riskiest)' },
  bandShort: { 'zh-CN': '分数段', 'en-US': 'Band' },
  lift: { 'zh-CN': '提升度', 'en-US': 'Lift' },
  gain: { 'zh-CN': '累计坏样本捕获率（增益）', 'en-US': 'Cum. bads captured (gain)' },
  share: { 'zh-CN': '样本占比', 'en-US': 'Share of sample' },
  expected: { 'zh-CN': '开发（期望）', 'en-US': 'Development (expected)' },
  actual: { 'zh-CN': '监控（实际）', 'en-US': 'Monitoring (actual)' },
  distTitle: { 'zh-CN': '分数分布：期望 vs 实际（PSI {psi}）', 'en-US': 'Score distribution: expected vs actual (PSI {psi})' },
  psiTitle: { 'zh-CN': '月度 PSI', 'en-US': 'PSI by month' },
  psiWatch: { 'zh-CN': '关注 0.10', 'en-US': 'Watch 0.10' },
  psiShift: { 'zh-CN': '偏移 0.25', 'en-US': 'Shifted 0.25' },
  noMonths: {
    'zh-CN': '样本没有观察日期（随机划分），没有月度趋势；各指标为监控样本（测试集）整体的值。',
    'en-US': 'The sample has no observation dates (a random split): no monthly trend; each figure is the whole monitoring (test) sample’s.',
  },
  // Table columns.
  colMonth: { 'zh-CN': '月份', 'en-US': 'Month' },
  colSample: { 'zh-CN': '样本', 'en-US': 'Sample' },
  colCount: { 'zh-CN': '笔数', 'en-US': 'Count' },
  colBads: { 'zh-CN': '坏样本', 'en-US': 'Bads' },
  colBadRate: { 'zh-CN': '坏率', 'en-US': 'Bad rate' },
  colPdRange: { 'zh-CN': 'PD 区间', 'en-US': 'PD range' },
  colCumBad: { 'zh-CN': '累计坏%', 'en-US': 'Cum. bad %' },
  colCumGood: { 'zh-CN': '累计好%', 'en-US': 'Cum. good %' },
  colKs: { 'zh-CN': 'KS', 'en-US': 'KS' },
  colLift: { 'zh-CN': '提升度', 'en-US': 'Lift' },
  colGain: { 'zh-CN': '增益', 'en-US': 'Gain' },
  colThreshold: { 'zh-CN': 'PD 阈值', 'en-US': 'PD threshold' },
  colPopulation: { 'zh-CN': '样本占比', 'en-US': 'Population' },
  colTpr: { 'zh-CN': '累计坏%（TPR）', 'en-US': 'Cum. bad % (TPR)' },
  colFpr: { 'zh-CN': '累计好%（FPR）', 'en-US': 'Cum. good % (FPR)' },
  colExpected: { 'zh-CN': '期望占比', 'en-US': 'Expected share' },
  colActual: { 'zh-CN': '实际占比', 'en-US': 'Actual share' },
  colPsiPart: { 'zh-CN': 'PSI 分项', 'en-US': 'PSI term' },
  colFeature: { 'zh-CN': '特征', 'en-US': 'Feature' },
  colIv: { 'zh-CN': 'IV（开发）', 'en-US': 'IV (development)' },
  colIvReading: { 'zh-CN': 'IV 解读', 'en-US': 'IV reading' },
  colIvMon: { 'zh-CN': 'IV（监控）', 'en-US': 'IV (monitoring)' },
  colCsi: { 'zh-CN': 'CSI', 'en-US': 'CSI' },
  colCsiReading: { 'zh-CN': 'CSI 解读', 'en-US': 'CSI reading' },
  colBins: { 'zh-CN': 'WOE 分箱', 'en-US': 'WOE bins' },
  colBin: { 'zh-CN': '分箱', 'en-US': 'Bin' },
  colWoe: { 'zh-CN': 'WOE', 'en-US': 'WOE' },
  colBinIv: { 'zh-CN': 'IV 分项', 'en-US': 'IV term' },
  colDevShare: { 'zh-CN': '开发占比', 'en-US': 'Dev share' },
  colMonShare: { 'zh-CN': '监控占比', 'en-US': 'Mon. share' },
  showBins: { 'zh-CN': '查看 {feature} 的 WOE 分箱', 'en-US': 'Show the WOE bins of {feature}' },
  hideBins: { 'zh-CN': '收起 {feature} 的 WOE 分箱', 'en-US': 'Hide the WOE bins of {feature}' },
  bins: { 'zh-CN': '分箱', 'en-US': 'Bins' },
  hide: { 'zh-CN': '收起', 'en-US': 'Hide' },
  noBins: { 'zh-CN': '该结果未包含分箱（includeBins=false）', 'en-US': 'The result has no bins (includeBins=false)' },
  ivUseless: { 'zh-CN': '无用', 'en-US': 'useless' },
  ivWeak: { 'zh-CN': '弱', 'en-US': 'weak' },
  ivMedium: { 'zh-CN': '中', 'en-US': 'medium' },
  ivStrong: { 'zh-CN': '强', 'en-US': 'strong' },
  ivSuspect: { 'zh-CN': '可疑（泄漏？）', 'en-US': 'suspect (leakage?)' },
  readingStable: { 'zh-CN': '稳定', 'en-US': 'stable' },
  readingWatch: { 'zh-CN': '关注', 'en-US': 'watch' },
  readingShifted: { 'zh-CN': '偏移', 'en-US': 'shifted' },
  // Summaries.
  sumOverview: {
    'zh-CN': '{title}：监控样本 KS {ks}（{ksS}），AUC {auc}（{aucS}），Gini {gini}（{giniS}），PSI {psi}（{psiS}）；{n} 笔，坏率 {rate}。',
    'en-US': '{title}: monitoring KS {ks} ({ksS}), AUC {auc} ({aucS}), Gini {gini} ({giniS}), PSI {psi} ({psiS}); {n} rows, bad rate {rate}.',
  },
  sumCurves: {
    'zh-CN': 'ROC 曲线 AUC {auc}；KS {ks}，出现在累计样本 {pop} 处（PD ≥ {pd}）。',
    'en-US': 'ROC curve with AUC {auc}; KS {ks}, reached at {pop} of the sample (PD ≥ {pd}).',
  },
  sumBands: {
    'zh-CN': '10 个分数段：最高风险段坏率 {top}（提升度 {lift}），最低风险段坏率 {bottom}；前 3 段捕获坏样本 {gain3}。',
    'en-US': '10 score bands: the riskiest band has a bad rate of {top} (lift {lift}), the safest {bottom}; the top 3 bands capture {gain3} of bads.',
  },
  sumStability: {
    'zh-CN': '总体 PSI {psi}（{psiS}）；{months} 个监控月，其中 {shifted} 个偏移、{watch} 个需关注。',
    'en-US': 'Overall PSI {psi} ({psiS}); {months} monitoring months, {shifted} shifted and {watch} to watch.',
  },
  sumFeatures: {
    'zh-CN': '{n} 个特征；IV 最高：{top}。CSI ≥ 0.10 的特征：{drift}。',
    'en-US': '{n} features; highest IV: {top}. Features with CSI ≥ 0.10: {drift}.',
  },
  none: { 'zh-CN': '无', 'en-US': 'none' },
  badShape: {
    'zh-CN': '结果缺少字段 {field}（需要 model_monitor 指标的结果）',
    'en-US': 'The result lacks the field "{field}" (a model_monitor result is needed)',
  },
} satisfies Record<string, { 'zh-CN': string; 'en-US': string }>;

registerMessages(MODEL_AREA, modelMessages);
