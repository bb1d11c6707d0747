/**
 * Framework-neutral description of every Finboard tag for JSX and template type checkers: the
 * element class, its settable properties and its events. `react.ts` and `vue.ts` (the
 * `finboard/jsx-react` and `finboard/jsx-vue` type entries) turn it into React's
 * `JSX.IntrinsicElements` and Vue's `GlobalComponents`. Types only: no framework is imported here.
 */
import type { LitElement } from 'lit';
import type { FinDrilldownEvent, FinErrorEvent, FinFiltersEvent, FinQualityEvent, FinSelectEvent } from '../base/events.js';
import type { FinCohort } from '../cohort/cohort.js';
import type { FinDashboard, FinPrepareEvent } from '../dashboard/dashboard.js';
import type { FinFilterBar } from '../dashboard/filter-bar.js';
import type { FinLink } from '../dashboard/link.js';
import type { FinFundFlow } from '../fund-flow/fund-flow.js';
// mining: model monitoring
import type { FinModel } from '../model/model.js';
import type { FinFunnel } from '../funnel/funnel.js';
import type { FinHeatmap } from '../heatmap/heatmap.js';
import type { FinKpiCard } from '../kpi-card/kpi-card.js';
import type { FinKpiGroup } from '../kpi-card/kpi-group.js';
import type { FinOverdueTrend } from '../overdue-trend/overdue-trend.js';
import type { FinRfm } from '../rfm/rfm.js';
import type { FinTable } from '../table/table.js';

/** Events of every analytic element. */
export interface FinElementEvents {
  'fin-select': FinSelectEvent;
  'fin-error': FinErrorEvent;
  'fin-quality': FinQualityEvent;
}
/** Events of `<fin-dashboard>` (its widgets' events bubble through it). */
export interface FinDashboardEvents extends FinElementEvents {
  'fin-drilldown': FinDrilldownEvent;
  'fin-filters': FinFiltersEvent;
  'fin-prepare': FinPrepareEvent;
}

/** Every tag: its element class and the events it fires. */
export interface FinTags {
  'fin-kpi-card': { element: FinKpiCard; events: FinElementEvents };
  'fin-kpi-group': { element: FinKpiGroup; events: object };
  'fin-funnel': { element: FinFunnel; events: FinElementEvents };
  'fin-heatmap': { element: FinHeatmap; events: FinElementEvents };
  'fin-cohort': { element: FinCohort; events: FinElementEvents };
  'fin-rfm': { element: FinRfm; events: FinElementEvents };
  'fin-overdue-trend': { element: FinOverdueTrend; events: FinElementEvents };
  'fin-fund-flow': { element: FinFundFlow; events: FinElementEvents };
  'fin-table': { element: FinTable; events: FinElementEvents };
  // mining: model monitoring
  'fin-model': { element: FinModel; events: FinElementEvents };
  'fin-dashboard': { element: FinDashboard; events: FinDashboardEvents };
  'fin-filter-bar': { element: FinFilterBar; events: { 'fin-filters': FinFiltersEvent } };
  'fin-link': { element: FinLink; events: object };
}

/** Read-only state the elements expose for hosts and tests: never set from markup. */
type ReadOnlyKeys = 'renderState' | 'currentResult' | 'lang_';

/** The settable properties of element `E` (its own fields, not HTMLElement's; no methods), all optional. */
export type FinProps<E> = {
  [K in Exclude<keyof E, keyof LitElement | ReadOnlyKeys> as E[K] extends (...args: never[]) => unknown ? never : K]?: E[K];
};

/** `fin-select` → `FinSelect`. */
type Pascal<S extends string> = S extends `${infer H}-${infer T}` ? `${Capitalize<H>}${Pascal<T>}` : Capitalize<S>;

/** Handlers named `on` + PascalCase event (`onFinSelect`): Vue's and the React wrappers' convention. */
export type FinCamelHandlers<Ev> = { [K in keyof Ev & string as `on${Pascal<K>}`]?: (event: Ev[K]) => void };
/** Handlers named `on` + event name (`onfin-select`): React 19's convention for custom elements. */
export type FinRawHandlers<Ev> = { [K in keyof Ev & string as `on${K}`]?: (event: Ev[K]) => void };
