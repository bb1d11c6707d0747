/**
 * Messages of `<fin-cluster>` and its spec builders (src/specs/cluster-*.ts), area `cluster`.
 * Importing this module registers them; read them with `msg(locale, key, vars, 'cluster')`.
 * Plain text, rendered only as text nodes (or as Vega text from `data.values` and titles).
 */
import { registerMessages } from '../messages.js';

export const CLUSTER_AREA = 'cluster';

export const clusterMessages = {
  display: { 'zh-CN': '视图', 'en-US': 'View' },
  scatter: { 'zh-CN': '散点', 'en-US': 'Scatter' },
  profiles: { 'zh-CN': '质心画像', 'en-US': 'Centroid profiles' },
  kChart: { 'zh-CN': 'k 的选择', 'en-US': 'Choice of k' },
  xFeature: { 'zh-CN': '横轴', 'en-US': 'X axis' },
  yFeature: { 'zh-CN': '纵轴', 'en-US': 'Y axis' },
  clusters: { 'zh-CN': '客户簇', 'en-US': 'Clusters' },
  cluster: { 'zh-CN': '簇', 'en-US': 'Cluster' },
  clusterN: { 'zh-CN': '簇 {n}', 'en-US': 'Cluster {n}' },
  clusterLabel: { 'zh-CN': '簇 {n}：{label}', 'en-US': 'Cluster {n}: {label}' },
  label: { 'zh-CN': '建议标签', 'en-US': 'Suggested label' },
  size: { 'zh-CN': '客户数', 'en-US': 'Customers' },
  share: { 'zh-CN': '占比', 'en-US': 'Share' },
  centroidOf: { 'zh-CN': '{f} 均值', 'en-US': '{f} mean' },
  medianOf: { 'zh-CN': '{f} 中位数', 'en-US': '{f} median' },
  withUnit: { 'zh-CN': '{label}（{unit}）', 'en-US': '{label} ({unit})' },
  zScore: { 'zh-CN': '标准化均值（z）', 'en-US': 'Standardised mean (z)' },
  zAxis: { 'zh-CN': '相对全体（z 分数，0 = 平均）', 'en-US': 'Against everyone (z-score, 0 = average)' },
  feature: { 'zh-CN': '特征', 'en-US': 'Feature' },
  k: { 'zh-CN': '簇数 k', 'en-US': 'Clusters k' },
  silhouette: { 'zh-CN': '平均轮廓系数（越高越好）', 'en-US': 'Mean silhouette (higher is better)' },
  inertia: { 'zh-CN': '惯性（肘部法）', 'en-US': 'Inertia (elbow)' },
  ch: { 'zh-CN': 'Calinski–Harabasz', 'en-US': 'Calinski–Harabasz' },
  chosenK: { 'zh-CN': '选定 k = {k}', 'en-US': 'chosen k = {k}' },
  kBySilhouette: { 'zh-CN': 'k = {k}，按平均轮廓系数在 {min}–{max} 中选出', 'en-US': 'k = {k}, chosen in {min}–{max} by the mean silhouette' },
  kGiven: { 'zh-CN': 'k = {k}（指定）', 'en-US': 'k = {k} (given)' },
  context: { 'zh-CN': '截至 {asOf} · {n} 位客户 · {k} 个簇', 'en-US': 'As of {asOf} · {n} customers · {k} clusters' },
  sampledNote: { 'zh-CN': 'k 的选择在 {m} 个抽样客户上计算', 'en-US': 'k selection ran on a sample of {m} customers' },
  pointsNote: { 'zh-CN': '散点显示前 {n} 位客户（共 {total} 位）', 'en-US': 'The scatter shows the first {n} of {total} customers' },
  noPoints: { 'zh-CN': '结果不含逐客户分配，无法绘制散点；请切换到质心画像或 k 的选择。', 'en-US': 'The result lists no per-customer assignments, so there is no scatter; see the centroid profiles or the choice of k.' },
  noKTable: { 'zh-CN': '结果不含各 k 的评估表。', 'en-US': 'The result has no table of the k values tried.' },
  oneFeature: { 'zh-CN': '只有一个特征：散点的两轴相同。', 'en-US': 'Only one feature: both axes of the scatter show it.' },
  logAxis: { 'zh-CN': '偏态特征按对数刻度显示', 'en-US': 'skewed features on a log scale' },
  select: { 'zh-CN': '选择{label}', 'en-US': 'Select {label}' },
  selectHint: { 'zh-CN': '以该簇客户筛选其他图表', 'en-US': 'filter the other charts on its customers' },
  centroid: { 'zh-CN': '质心', 'en-US': 'Centroid' },
  median: { 'zh-CN': '中位数', 'en-US': 'Median' },
  summary: {
    'zh-CN': '{title}：{n} 位客户分为 {k} 个簇（{how}）。最大的是簇 1「{top}」，{topN} 位，占 {topShare}。',
    'en-US': '{title}: {n} customers in {k} clusters ({how}). The largest is cluster 1 "{top}", {topN} customers, {topShare}.',
  },
  'reason.customers_missing_feature': { 'zh-CN': '缺少特征值的客户', 'en-US': 'customers missing a feature' },
  'reason.customers_no_activity': { 'zh-CN': '窗口内无交易的客户', 'en-US': 'customers with no transaction in the window' },
} as const;

registerMessages(CLUSTER_AREA, clusterMessages);
