import type { DashboardSpec } from './spec.js';

const kpiSpark = { unit: 'month', points: 12 };
const L = (zh: string, en: string) => ({ 'zh-CN': zh, 'en-US': en });

const collectorColumns = (key: 'team' | 'collector') => [
  key === 'team' ? { key: 'team', label: L('催收组', 'Team') } : { key: 'collector', label: L('催收员', 'Collector') },
  ...(key === 'collector' ? [{ key: 'team', label: L('组别', 'Team') }] : []),
  { key: 'cases', label: L('案件数', 'Cases'), format: 'count' },
  { key: 'penetration', label: L('人均触达', 'Actions/case'), format: 'number' },
  { key: 'connectRate', label: L('接通率', 'Connect rate'), format: 'percent' },
  { key: 'ptpRate', label: L('承诺率', 'PTP rate'), format: 'percent' },
  { key: 'ptpKeptRate', label: L('履约率', 'PTP kept'), format: 'percent' },
  { key: 'recovered', label: L('催回金额', 'Recovered'), format: 'currency-compact', bar: true },
  { key: 'recoveryRate', label: L('回收率', 'Recovery rate'), format: 'percent' },
];

/** 催收 Collection: delinquency KPIs, bucket trend, flows, roll rates, vintage, collectors, channels, contact heatmap. */
export const collectionDashboard: DashboardSpec = {
  version: 2,
  id: 'collection',
  title: { 'zh-CN': '催收看板', 'en-US': 'Collection dashboard' },
  engine: { placement: 'thread' },
  sample: { customers: 1500 },
  filters: [
    { type: 'date-range', id: 'date', label: { 'zh-CN': '日期', 'en-US': 'Date' }, fields: ['snapshot_date', 'action_time'], default: 'all' },
    { type: 'multi', id: 'region', label: { 'zh-CN': '区域', 'en-US': 'Region' }, field: 'region', source: 'loans' },
    { type: 'multi', id: 'product', label: { 'zh-CN': '产品', 'en-US': 'Product' }, field: 'product', source: 'loans' },
  ],
  widgets: [
    {
      id: 'kpi-overdue', type: 'kpi-card', title: { 'zh-CN': 'M1+逾期率', 'en-US': 'M1+ overdue rate' }, grid: { x: 0, y: 0, w: 3, h: 2 },
      source: 'loan_months', params: { series: { metric: 'overdue_rate', params: { k: 1 }, value: 'rate' }, direction: 'lower-is-better' },
      props: { format: 'percent', direction: 'lower-is-better' },
    },
    {
      id: 'kpi-entry', type: 'kpi-card', title: { 'zh-CN': '入催率', 'en-US': 'Entry rate' }, grid: { x: 3, y: 0, w: 3, h: 2 },
      source: 'loan_months', params: { series: { metric: 'entry_rate', params: {}, value: 'rate' }, direction: 'lower-is-better' },
      props: { format: 'percent', direction: 'lower-is-better' },
    },
    {
      id: 'kpi-cure', type: 'kpi-card', title: { 'zh-CN': '出催率', 'en-US': 'Cure rate' }, grid: { x: 6, y: 0, w: 3, h: 2 },
      source: 'loan_months', params: { series: { metric: 'cure_rate', params: {}, value: 'rate', where: { bucket: 'M1+' } } },
      props: { format: 'percent' },
    },
    {
      id: 'kpi-recovered', type: 'kpi-card', title: { 'zh-CN': '催回金额 vs 目标', 'en-US': 'Recovered vs target' }, grid: { x: 9, y: 0, w: 3, h: 2 },
      source: 'collection_actions', params: { measure: { agg: 'sum', field: 'paid_amount' }, target: 3000000, sparkline: kpiSpark },
      props: { format: 'currency-compact' },
    },
    {
      id: 'buckets', type: 'overdue-trend', title: { 'zh-CN': '逾期余额分布趋势', 'en-US': 'Outstanding by DPD bucket' }, grid: { x: 0, y: 2, w: 6, h: 4 },
      props: { display: 'buckets' },
    },
    {
      id: 'rates', type: 'overdue-trend', title: { 'zh-CN': '逾期率趋势', 'en-US': 'Overdue rate trend' }, grid: { x: 6, y: 2, w: 6, h: 4 },
      props: { display: 'rates' },
    },
    {
      id: 'flows', type: 'overdue-trend', title: { 'zh-CN': '迁徙率', 'en-US': 'Flow rates' }, grid: { x: 0, y: 6, w: 6, h: 4 },
      props: { display: 'flows' },
    },
    {
      id: 'rollrate', type: 'overdue-trend', title: { 'zh-CN': '滚动率矩阵', 'en-US': 'Roll-rate matrix' }, grid: { x: 6, y: 6, w: 6, h: 4 },
      props: { display: 'rollrate' },
    },
    {
      id: 'vintage', type: 'cohort', title: { 'zh-CN': '账龄分析（Vintage，M1+）', 'en-US': 'Vintage (M1+ by MOB)' }, grid: { x: 0, y: 10, w: 12, h: 5 },
      props: { mode: 'vintage' }, params: { d: 30 },
    },
    {
      id: 'collectors', type: 'table', title: { 'zh-CN': '催收员排行', 'en-US': 'Collector leaderboard' }, grid: { x: 0, y: 15, w: 6, h: 5 },
      metric: 'collector_performance', source: 'collection_actions', props: { limit: 40 },
      drill: {
        levels: [
          { field: 'team', params: { level: 'team' }, props: { selectField: 'team', filterField: 'team', columns: collectorColumns('team') }, label: { 'zh-CN': '催收组', 'en-US': 'Teams' } },
          { field: 'collector_id', params: { level: 'collector' }, props: { selectField: 'collector', filterField: 'collector_id', columns: collectorColumns('collector') }, label: { 'zh-CN': '催收员', 'en-US': 'Collectors' } },
        ],
      },
    },
    {
      id: 'channels', type: 'table', title: { 'zh-CN': '渠道效果', 'en-US': 'Channel effectiveness' }, grid: { x: 6, y: 15, w: 6, h: 5 },
      metric: 'channel_effectiveness', source: 'collection_actions',
      props: {
        selectField: 'channel',
        columns: [
          { key: 'channel', label: L('渠道', 'Channel') },
          { key: 'actions', label: L('行动次数', 'Actions'), format: 'count' },
          { key: 'contactRate', label: L('接通率', 'Contact rate'), format: 'percent' },
          { key: 'ptpRate', label: L('承诺率', 'PTP rate'), format: 'percent' },
          { key: 'recovered', label: L('催回金额', 'Recovered'), format: 'currency-compact', bar: true },
          { key: 'cost', label: L('成本', 'Cost'), format: 'currency-compact' },
          { key: 'costPer100', label: L('每百元回款成本', 'Cost per ¥100'), format: 'currency' },
        ],
      },
    },
    {
      id: 'contact', type: 'heatmap', title: { 'zh-CN': '接触率（星期 × 小时）', 'en-US': 'Contact rate (weekday × hour)' }, grid: { x: 0, y: 20, w: 12, h: 4 },
      props: { preset: 'contact-rate-weekday-hour' },
    },
  ],
};

/** 客户维护 Retention: active/churn KPIs, cohort retention, RFM, churn trend, acquisition funnel with CAC. */
export const retentionDashboard: DashboardSpec = {
  version: 2,
  id: 'retention',
  title: { 'zh-CN': '客户维护看板', 'en-US': 'Customer retention dashboard' },
  engine: { placement: 'thread' },
  sample: { customers: 1500 },
  filters: [
    { type: 'date-range', id: 'date', label: { 'zh-CN': '日期', 'en-US': 'Date' }, fields: ['txn_time', 'event_time'], default: 'all' },
    { type: 'multi', id: 'segment', label: { 'zh-CN': '客群', 'en-US': 'Segment' }, field: 'segment', source: 'customers' },
    { type: 'multi', id: 'region', label: { 'zh-CN': '区域', 'en-US': 'Region' }, field: 'region', source: 'customers' },
  ],
  widgets: [
    {
      id: 'kpi-active', type: 'kpi-card', title: { 'zh-CN': '活跃客户', 'en-US': 'Active customers' }, grid: { x: 0, y: 0, w: 4, h: 2 },
      source: 'transactions', params: { measure: { agg: 'distinct', field: 'customer_id' }, sparkline: kpiSpark },
      props: { format: 'count' },
    },
    {
      id: 'kpi-churn', type: 'kpi-card', title: { 'zh-CN': '月流失率', 'en-US': 'Monthly churn rate' }, grid: { x: 4, y: 0, w: 4, h: 2 },
      source: 'transactions', params: { series: { metric: 'churn', params: {}, value: 'rate' }, direction: 'lower-is-better' },
      props: { format: 'percent', direction: 'lower-is-better' },
    },
    {
      id: 'kpi-aum', type: 'kpi-card', title: { 'zh-CN': '交易金额', 'en-US': 'Transaction volume' }, grid: { x: 8, y: 0, w: 4, h: 2 },
      source: 'transactions', params: { measure: { agg: 'sum', field: 'amount' }, sparkline: kpiSpark },
      props: { format: 'currency-compact' },
    },
    {
      id: 'cohort', type: 'cohort', title: { 'zh-CN': '新客月度留存（首次交易月）', 'en-US': 'Monthly retention of new customers (first transaction month)' }, grid: { x: 0, y: 2, w: 12, h: 5 },
      // The first month of the data holds every customer already on the books: not a cohort of new ones.
      params: { unit: 'month', leftCensored: 'exclude' },
    },
    // A segment selected here filters the others on its customers (customer_id in [members]).
    { id: 'rfm', type: 'rfm', title: { 'zh-CN': 'RFM 客户分层', 'en-US': 'RFM segments' }, grid: { x: 0, y: 7, w: 6, h: 5 } },
    {
      id: 'churn', type: 'table', title: { 'zh-CN': '流失趋势', 'en-US': 'Churn trend' }, grid: { x: 6, y: 7, w: 6, h: 5 },
      metric: 'churn', source: 'transactions',
      props: {
        selectField: 'month',
        filterField: 'txn_time.month',
        columns: [
          { key: 'month', label: L('月份', 'Month'), format: 'period' },
          { key: 'activeAtStart', label: L('月初活跃', 'Active at start'), format: 'count' },
          { key: 'churned', label: L('流失', 'Churned'), format: 'count' },
          { key: 'rate', label: L('流失率', 'Churn rate'), format: 'percent', bar: true },
        ],
      },
    },
    {
      id: 'funnel', type: 'funnel', title: { 'zh-CN': '获客漏斗', 'en-US': 'Acquisition funnel' }, grid: { x: 0, y: 12, w: 12, h: 4 },
    },
  ],
};

/** 资金流向 Fund flow: inflow/outflow/net KPIs, net-flow trend, sankey, channel mix, weekday × hour heatmap, alerts. */
export const fundFlowDashboard: DashboardSpec = {
  version: 2,
  id: 'fund-flow',
  title: { 'zh-CN': '资金流向看板', 'en-US': 'Fund flow dashboard' },
  engine: { placement: 'thread' },
  sample: { customers: 1500 },
  filters: [
    { type: 'date-range', id: 'date', label: { 'zh-CN': '日期', 'en-US': 'Date' }, fields: ['txn_time'], default: 'all' },
    { type: 'multi', id: 'channel', label: { 'zh-CN': '渠道', 'en-US': 'Channel' }, field: 'channel', source: 'transactions' },
    { type: 'multi', id: 'segment', label: { 'zh-CN': '客群', 'en-US': 'Segment' }, field: 'segment', source: 'customers' },
  ],
  widgets: [
    {
      id: 'kpi-in', type: 'kpi-card', title: { 'zh-CN': '资金流入', 'en-US': 'Inflow' }, grid: { x: 0, y: 0, w: 4, h: 2 },
      source: 'transactions', params: { measure: { agg: 'sum', field: 'amount', where: [{ field: 'direction', op: 'eq', value: 'in' }] }, sparkline: kpiSpark },
      props: { format: 'currency-compact' },
    },
    {
      id: 'kpi-out', type: 'kpi-card', title: { 'zh-CN': '资金流出', 'en-US': 'Outflow' }, grid: { x: 4, y: 0, w: 4, h: 2 },
      source: 'transactions', params: { measure: { agg: 'sum', field: 'amount', where: [{ field: 'direction', op: 'eq', value: 'out' }] }, sparkline: kpiSpark, direction: 'lower-is-better' },
      props: { format: 'currency-compact', direction: 'lower-is-better' },
    },
    {
      id: 'kpi-count', type: 'kpi-card', title: { 'zh-CN': '交易笔数', 'en-US': 'Transactions' }, grid: { x: 8, y: 0, w: 4, h: 2 },
      source: 'transactions', params: { measure: { agg: 'count' }, sparkline: kpiSpark },
      props: { format: 'count' },
    },
    { id: 'trend', type: 'fund-flow', title: { 'zh-CN': '净流入趋势', 'en-US': 'Net flow trend' }, grid: { x: 0, y: 2, w: 6, h: 4 }, props: { display: 'trend' } },
    { id: 'sankey', type: 'fund-flow', title: { 'zh-CN': '资金流向桑基图', 'en-US': 'Fund flow sankey' }, grid: { x: 6, y: 2, w: 6, h: 4 }, props: { display: 'sankey' } },
    {
      id: 'channels', type: 'heatmap', title: { 'zh-CN': '渠道结构（金额）', 'en-US': 'Channel mix (amount)' }, grid: { x: 0, y: 6, w: 4, h: 4 },
      source: 'transactions',
      params: { x: { field: 'direction' }, y: { field: 'channel' }, measure: { agg: 'sum', field: 'amount' } },
      props: { valueFormat: 'currency-compact', selectOn: 'y' },
    },
    {
      id: 'heat', type: 'heatmap', title: { 'zh-CN': '交易时段分布（星期 × 小时）', 'en-US': 'Transactions (weekday × hour)' }, grid: { x: 4, y: 6, w: 8, h: 4 },
      props: { preset: 'txn-weekday-hour' },
    },
    { id: 'alerts', type: 'fund-flow', title: { 'zh-CN': '大额及可疑交易预警', 'en-US': 'Large and suspicious transactions' }, grid: { x: 0, y: 10, w: 12, h: 4 }, props: { display: 'alerts' } },
  ],
};

// --- mining-cluster: 优质客户 High-value customers ---------------------------------------------
/**
 * 优质客户 High-value customers: KPIs, RFM segments, K-means clusters and the profile (客户画像) of
 * the chosen group. Selecting an RFM segment or a cluster filters the other widgets on its
 * customers, and the profile follows the selection (its group becomes them); with nothing
 * selected the profile shows 重要价值客户.
 */
export const highValueDashboard: DashboardSpec = {
  version: 2,
  id: 'high-value',
  title: { 'zh-CN': '优质客户', 'en-US': 'High-value customers' },
  engine: { placement: 'thread' },
  sample: { customers: 1500 },
  filters: [
    { type: 'date-range', id: 'date', label: { 'zh-CN': '日期', 'en-US': 'Date' }, fields: ['txn_time'], default: 'all' },
    { type: 'multi', id: 'segment', label: { 'zh-CN': '客群', 'en-US': 'Segment' }, field: 'segment', source: 'customers' },
    { type: 'multi', id: 'region', label: { 'zh-CN': '区域', 'en-US': 'Region' }, field: 'region', source: 'customers' },
  ],
  widgets: [
    {
      id: 'kpi-customers', type: 'kpi-card', title: { 'zh-CN': '交易客户数', 'en-US': 'Transacting customers' }, grid: { x: 0, y: 0, w: 4, h: 2 },
      source: 'transactions', params: { measure: { agg: 'distinct', field: 'customer_id' }, sparkline: kpiSpark },
      props: { format: 'count' },
    },
    {
      id: 'kpi-amount', type: 'kpi-card', title: { 'zh-CN': '交易金额', 'en-US': 'Transaction volume' }, grid: { x: 4, y: 0, w: 4, h: 2 },
      source: 'transactions', params: { measure: { agg: 'sum', field: 'amount' }, sparkline: kpiSpark },
      props: { format: 'currency-compact' },
    },
    {
      id: 'kpi-txns', type: 'kpi-card', title: { 'zh-CN': '交易笔数', 'en-US': 'Transactions' }, grid: { x: 8, y: 0, w: 4, h: 2 },
      source: 'transactions', params: { measure: { agg: 'count' }, sparkline: kpiSpark },
      props: { format: 'count' },
    },
    // A segment or a cluster selected here filters the others on its customers (customer_id in [members]).
    { id: 'rfm', type: 'rfm', title: { 'zh-CN': 'RFM 客户分层', 'en-US': 'RFM segments' }, grid: { x: 0, y: 2, w: 6, h: 6 } },
    {
      id: 'clusters', type: 'cluster', title: { 'zh-CN': 'K-means 客户分群', 'en-US': 'K-means customer clusters' }, grid: { x: 6, y: 2, w: 6, h: 6 },
      params: { features: ['recency', 'frequency', 'monetary', 'aum'] },
    },
    {
      id: 'profile', type: 'profile', title: { 'zh-CN': '所选客群画像', 'en-US': 'Profile of the selected group' }, grid: { x: 0, y: 8, w: 12, h: 6 },
      params: {
        group: { segment: 'important_value' },
        attributes: ['age_band', 'gender', 'city_tier', 'segment', 'risk_grade', 'product', 'channel'],
      },
    },
  ],
};
// --- end mining-cluster ------------------------------------------------------------------------
// ---- mining: model monitoring (风控模型监控) ----
/**
 * 风控模型监控 Model monitoring: the `default` model (ever M3+ within 12 MOB, logistic regression,
 * out-of-time split) on the sample — KS / AUC / Gini / PSI tiles with the monthly trend, ROC and KS
 * curves, lift / gain with the score-band table, expected vs actual distribution with the PSI by
 * month, and the feature table (IV, CSI, WOE bins). Every widget sends the same `model_monitor`
 * request, so the engine trains the model once and answers the others from its cache. No filter
 * bar: a filter would retrain the model on the filtered rows (apply a stored model with
 * `params.model` to monitor a segment).
 */
export const modelMonitoringDashboard: DashboardSpec = {
  version: 2,
  id: 'model-monitoring',
  title: { 'zh-CN': '风控模型监控', 'en-US': 'Risk model monitoring' },
  engine: { placement: 'thread' },
  sample: { customers: 1500 },
  prepare: false,
  widgets: [
    {
      id: 'model-overview', type: 'model', title: { 'zh-CN': '违约模型（default）：KS / AUC / Gini / PSI', 'en-US': 'Default model: KS / AUC / Gini / PSI' }, grid: { x: 0, y: 0, w: 12, h: 5 },
      params: { definition: 'default' }, props: { display: 'overview', hideViews: true },
    },
    {
      id: 'model-curves', type: 'model', title: { 'zh-CN': 'ROC 与 KS 曲线（监控样本）', 'en-US': 'ROC and KS curves (monitoring sample)' }, grid: { x: 0, y: 5, w: 12, h: 5 },
      params: { definition: 'default' }, props: { display: 'curves', hideViews: true, chartHeight: 300 },
    },
    {
      id: 'model-bands', type: 'model', title: { 'zh-CN': '分数段：提升度与增益', 'en-US': 'Score bands: lift and gain' }, grid: { x: 0, y: 10, w: 6, h: 7 },
      params: { definition: 'default' }, props: { display: 'bands', hideViews: true },
    },
    {
      id: 'model-stability', type: 'model', title: { 'zh-CN': '分数分布与 PSI 趋势', 'en-US': 'Score distribution and PSI trend' }, grid: { x: 6, y: 10, w: 6, h: 7 },
      params: { definition: 'default' }, props: { display: 'stability', hideViews: true, chartHeight: 420 },
    },
    {
      id: 'model-features', type: 'model', title: { 'zh-CN': '特征 IV / CSI（点击查看 WOE 分箱）', 'en-US': 'Feature IV / CSI (open the WOE bins)' }, grid: { x: 0, y: 17, w: 12, h: 6 },
      params: { definition: 'default' }, props: { display: 'features', hideViews: true },
    },
  ],
};
// ---- end mining: model monitoring ----

export const DASHBOARDS: Record<string, DashboardSpec> = {
  collection: collectionDashboard,
  retention: retentionDashboard,
  'fund-flow': fundFlowDashboard,
  // mining-cluster
  'high-value': highValueDashboard,
  // mining: model monitoring
  'model-monitoring': modelMonitoringDashboard,
};
