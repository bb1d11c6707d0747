/**
 * The engine requests of the collection (催收) dashboard, derived from its preset spec the way
 * each element builds its request (components/*: kpi-card → `kpi`, overdue-trend displays →
 * `bucket_trend` / `overdue_rate` per series / `flow_rate` / `roll_rate`, cohort vintage →
 * `vintage` with `threshold` → `d`, table → its metric, heatmap preset → `heatmap` on the preset's
 * dataset). Kept here so the benchmarks measure exactly the dashboard's work.
 */
import { collectionDashboard } from '../../src/dashboard/presets.js';
import type { DashboardSpec } from '../../src/dashboard/spec.js';
import type { FilterClause, QueryRequest } from '../../src/engine/types.js';
import { rateRequests } from '../../src/specs/overdue-trend.js';

const DISPLAY_METRIC: Record<string, string> = {
  buckets: 'bucket_trend',
  rates: 'overdue_rate',
  flows: 'flow_rate',
  rollrate: 'roll_rate',
};
const FUND_FLOW_METRIC: Record<string, string> = {
  sankey: 'sankey',
  trend: 'fund_flow',
  alerts: 'txn_alerts',
};
const HEATMAP_SOURCES: Record<string, string> = {
  'contact-rate-weekday-hour': 'collection_actions',
  'overdue-region-month': 'loan_months',
  'txn-weekday-hour': 'transactions',
};

export interface WidgetRequest extends QueryRequest {
  widget: string;
}

/** One request per query a widget issues (the rates display issues one per series). */
export function dashboardRequests(
  spec: DashboardSpec = collectionDashboard,
  filters: FilterClause[] = [],
): WidgetRequest[] {
  const out: WidgetRequest[] = [];
  for (const w of spec.widgets) {
    const props = (w.props ?? {}) as Record<string, unknown>;
    const base: Record<string, unknown> = { ...(w.params ?? {}) };
    // First drill level (either `{ param, levels: [field…] }` or `{ levels: [{ field, params }] }`).
    const drill = w.drill as unknown as { param?: string; levels?: unknown[] } | undefined;
    const first = drill?.levels?.[0];
    if (drill?.param && typeof first === 'string') base[drill.param] = first;
    else if (first && typeof first === 'object' && (first as { params?: object }).params)
      Object.assign(base, (first as { params: object }).params);
    const f = [...filters, ...(w.filters ?? [])];
    const push = (metric: string, params: Record<string, unknown>, source?: string): void => {
      const r: WidgetRequest = { widget: w.id, metric, params, filters: f };
      if (source) r.source = source;
      out.push(r);
    };
    switch (w.type) {
      case 'kpi-card':
        push(w.metric ?? 'kpi', base, w.source ?? 'loan_months');
        break;
      case 'overdue-trend': {
        const display = String(props['display'] ?? 'buckets');
        if (display === 'rates' && !w.metric) {
          const levels = Array.isArray(props['levels']) ? (props['levels'] as number[]) : [1, 3];
          for (const r of rateRequests(levels, 'auto', 8))
            push('overdue_rate', { ...base, k: r.k, lag: r.lag }, w.source);
        } else push(w.metric ?? DISPLAY_METRIC[display] ?? 'bucket_trend', base, w.source);
        break;
      }
      case 'cohort': {
        const vintage = props['mode'] === 'vintage';
        const p = { ...base };
        if (vintage) {
          if (typeof p['threshold'] === 'number' && p['d'] === undefined) p['d'] = p['threshold'];
          delete p['threshold'];
        }
        push(
          w.metric ?? (vintage ? 'vintage' : 'cohort'),
          p,
          w.source ?? (vintage ? 'loan_months' : 'transactions'),
        );
        break;
      }
      case 'heatmap': {
        const preset = props['preset'] as string | undefined;
        push(
          w.metric ?? 'heatmap',
          preset ? { ...base, preset } : base,
          w.source ?? (preset ? HEATMAP_SOURCES[preset] : undefined),
        );
        break;
      }
      case 'table':
        push(w.metric ?? 'collector_performance', base, w.source ?? 'collection_actions');
        break;
      case 'fund-flow': {
        const display = String(props['display'] ?? 'sankey');
        push(w.metric ?? FUND_FLOW_METRIC[display] ?? 'sankey', base, w.source);
        break;
      }
      case 'rfm':
      case 'funnel':
        push(w.metric ?? w.type, base, w.source);
        break;
      default:
        push(w.metric ?? w.type, base, w.source);
    }
  }
  return out;
}

/** Datasets the collection dashboard reads. */
export const COLLECTION_DATASETS = ['loans', 'loan_months', 'collection_actions'] as const;
