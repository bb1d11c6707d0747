/**
 * Which metrics the settings drawer offers for a widget: the one its element asks for by default
 * (per display), then the others that element can draw. The params form follows the chosen metric.
 */
import type { WidgetSpec, WidgetType } from '../../src/dashboard/spec.js';

const BY_TYPE: Record<WidgetType, string[]> = {
  'kpi-card': ['kpi'],
  funnel: ['funnel'],
  heatmap: ['heatmap'],
  cohort: ['cohort', 'vintage'],
  rfm: ['rfm'],
  'overdue-trend': ['bucket_trend', 'overdue_rate', 'flow_rate', 'roll_rate', 'dpd_buckets', 'entry_rate', 'cure_rate'],
  'fund-flow': ['sankey', 'fund_flow', 'txn_alerts'],
  cluster: ['cluster'],
  profile: ['profile'],
  model: ['model_monitor'],
  table: ['collector_performance', 'channel_effectiveness', 'churn', 'repayment_rate', 'kpi', 'distinct'],
};

/** The metric the element requests when `metric` is not set, by display/mode props. */
function elementDefault(w: WidgetSpec): string | undefined {
  const display = w.props?.['display'];
  switch (w.type) {
    case 'overdue-trend':
      return ({ buckets: 'bucket_trend', rates: 'overdue_rate', flows: 'flow_rate', rollrate: 'roll_rate' } as Record<string, string>)[String(display ?? 'buckets')];
    case 'fund-flow':
      return ({ sankey: 'sankey', trend: 'fund_flow', alerts: 'txn_alerts' } as Record<string, string>)[String(display ?? 'sankey')];
    case 'cohort':
      return w.props?.['mode'] === 'vintage' ? 'vintage' : 'cohort';
    default:
      return BY_TYPE[w.type]?.[0];
  }
}

/** Metric ids for the widget's settings, the one in effect first. */
export function metricsFor(w: WidgetSpec): string[] {
  const first = w.metric ?? elementDefault(w);
  const all = BY_TYPE[w.type] ?? [];
  return first ? [first, ...all.filter((m) => m !== first)] : [...all];
}
