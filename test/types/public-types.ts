/**
 * Type tests, compiled by `tsc --noEmit` (the static group of `npm test`; never run). Each valid
 * usage must compile, and each `// @ts-expect-error` line must be an error — if a typo in params,
 * a preset name or an event detail access ever type-checks, tsc fails with "Unused
 * '@ts-expect-error' directive".
 *
 * The element entries are imported one at a time on purpose: each declares its own tags and events.
 */
import type { ComponentProps } from 'react';
import type { JSX as ReactRuntimeJSX } from 'react/jsx-runtime';
import type { GlobalComponents } from 'vue';
import '../../components/heatmap/define.js';
import '../../components/kpi-card/define.js';
import '../../components/dashboard/define.js';
import type { HeatmapPreset } from '../../components/heatmap/define.js';
import type { FinIntrinsicElements } from '../../components/jsx/react.js';
import '../../components/jsx/react.js';
import '../../components/jsx/vue.js';
import type { FinDashboard as FinDashboardReact, FinHeatmap as FinHeatmapReact } from '../../components/react/index.js';
import type { KpiParams, MetricParams, MetricRequest, TypedQueryRequest } from '../../src/engine/params.generated.js';
import type { QueryRequest } from '../../src/engine/types.js';

declare const use: (...values: unknown[]) => void;

// --- HTMLElementTagNameMap and events from each element's own entry ---
const heat = document.createElement('fin-heatmap');
heat.addEventListener('fin-select', (e) => use(e.detail.clause, e.detail.source, e.detail.label));
heat.addEventListener('fin-error', (e) => use(e.detail.code.toUpperCase()));
heat.addEventListener('fin-quality', (e) => use(e.detail.rows + e.detail.used));
// @ts-expect-error -- FinSelectDetail has no `value` (it is `clause.value`)
heat.addEventListener('fin-select', (e) => use(e.detail.value));
// @ts-expect-error -- FinErrorDetail.code is a string, not a number
heat.addEventListener('fin-error', (e) => use(e.detail.code.toFixed(0)));
document.querySelector('fin-dashboard')?.addEventListener('fin-prepare', (e) => use(e.detail.ok, e.detail.dimensions));
document.querySelector('fin-dashboard')?.addEventListener('fin-drilldown', (e) => use(e.detail.path[0]?.field));
document.querySelector('fin-dashboard')?.addEventListener('fin-filters', (e) => use(e.detail.clauses.length));
document.body.addEventListener('fin-select', (e) => use(e.detail.group));

// --- params typed per element, presets as literal unions ---
heat.preset = 'contact-rate-weekday-hour';
// @ts-expect-error -- not a heatmap preset
heat.preset = 'contact-rate-hour';
heat.params = { x: { field: 'action_time', part: 'hour' }, y: { field: 'region' }, measure: { ratio: [{ agg: 'sum', field: 'contacted' }, { agg: 'count' }] } };
// @ts-expect-error -- `part` is hour | dow | month | week | day
heat.params = { x: { field: 'action_time', part: 'minute' } };
// @ts-expect-error -- typo in a param name (`meassure`)
heat.params = { meassure: { agg: 'count' } };
// @ts-expect-error -- `avg` is not an aggregate
heat.params = { measure: { agg: 'avg', field: 'amount' } };
const preset: HeatmapPreset = 'overdue-region-month';
use(preset);

const kpi = document.createElement('fin-kpi-card');
kpi.params = { measure: { agg: 'sum', field: 'principal' }, compare: 'year-ago', sparkline: { points: 12 } };
kpi.params = { series: { metric: 'cure_rate', where: { bucket: 'M1+' } }, direction: 'lower-is-better' };
// @ts-expect-error -- compare is previous | year-ago | none | { range }
kpi.params = { compare: 'last-year' };
// @ts-expect-error -- a heatmap param on a KPI card
kpi.params = { x: { field: 'region' } };
kpi.metric = 'overdue_rate';
// @ts-expect-error -- not a metric id
kpi.metric = 'overdue-rate';

// --- MetricParams and the request union keyed by metric id ---
const k: MetricParams['kpi'] = { target: 400 } satisfies KpiParams;
const requests: TypedQueryRequest[] = [
  { metric: 'overdue_rate', params: { k: 3, lag: 0, by: 'region' } },
  { metric: 'heatmap', source: 'collection_actions', params: { preset: 'contact-rate-weekday-hour' } },
  { metric: 'distinct', params: { field: 'region', order: 'value' } },
];
// @ts-expect-error -- `k` belongs to overdue_rate, not vintage
const wrong: MetricRequest<'vintage'> = { metric: 'vintage', params: { k: 3 } };
// @ts-expect-error -- distinct needs a field
const noField: TypedQueryRequest = { metric: 'distinct', params: { order: 'count' } };
// A typed request is a valid wire request for engine.query.
const wire: QueryRequest[] = requests;
use(k, wrong, noField, wire);

// --- React: intrinsic elements (React 19 semantics) and the finboard/react wrappers ---
const heatJsx: FinIntrinsicElements['fin-heatmap'] = {
  preset: 'txn-weekday-hour',
  params: { stock: true },
  'onfin-select': (e) => use(e.detail.clause),
  className: 'tile',
};
// @ts-expect-error -- not a heatmap preset
const badJsx: FinIntrinsicElements['fin-heatmap'] = { preset: 'weekday-hour' };
const runtimeJsx: ReactRuntimeJSX.IntrinsicElements['fin-kpi-card'] = { params: { target: 1 }, 'onfin-error': (e) => use(e.detail.message) };
// @ts-expect-error -- event detail typo through the jsx-runtime namespace
const runtimeBad: ReactRuntimeJSX.IntrinsicElements['fin-kpi-card'] = { 'onfin-error': (e) => use(e.detail.msg) };
type HeatmapWrapperProps = ComponentProps<typeof FinHeatmapReact>;
const wrapped: HeatmapWrapperProps = { preset: 'txn-weekday-hour', onFinSelect: (e) => use(e.detail.clause), params: { measure: { agg: 'count' } } };
// @ts-expect-error -- the wrapper's select handler gets a FinSelectEvent
const wrappedBad: HeatmapWrapperProps = { onFinSelect: (e) => use(e.detail.nope) };
const dash: ComponentProps<typeof FinDashboardReact> = { onFinPrepare: (e) => use(e.detail.requests), onFinDrilldown: (e) => use(e.detail.field) };
use(heatJsx, badJsx, runtimeJsx, runtimeBad, wrapped, wrappedBad, dash);

// --- Vue: GlobalComponents ---
type VueProps<T extends keyof GlobalComponents> = InstanceType<GlobalComponents[T]>['$props'];
const vueHeat: VueProps<'fin-heatmap'> = { preset: 'contact-rate-weekday-hour', onFinSelect: (e) => use(e.detail.clause) };
// @ts-expect-error -- not a heatmap preset
const vueBad: VueProps<'fin-heatmap'> = { preset: 'contact' };
use(vueHeat, vueBad);
