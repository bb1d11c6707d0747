/**
 * `finboard/react`: React components for every Finboard element, made with `@lit/react`'s
 * `createComponent`. Unlike the bare tags, they work the same in React 18 and 19: every prop that
 * is an element property (`params`, `data`, `engine`, `spec`, …) is set as a property, never a
 * string attribute, and events are `onFinSelect`, `onFinError`, `onFinQuality`, … (React 18 does
 * not bind custom events on plain tags at all).
 *
 * ```tsx
 * import { FinHeatmap } from 'finboard/react';
 * <FinHeatmap preset="contact-rate-weekday-hour" engine={engine} onFinSelect={(e) => setClause(e.detail.clause)} />
 * ```
 *
 * Importing this module registers every element (it imports each element's define entry). Params
 * passed inline (`params={{ … }}`) are fine: elements compare params and filters structurally and
 * do not query again for an equal object.
 */
import { createComponent } from '@lit/react';
import type { EventName } from '@lit/react';
import * as React from 'react';
import type { FinDrilldownEvent, FinErrorEvent, FinFiltersEvent, FinQualityEvent, FinSelectEvent } from '../base/events.js';
import { FinCohort } from '../cohort/define.js';
import { FinDashboard, FinFilterBar, FinLink } from '../dashboard/define.js';
import type { FinPrepareEvent } from '../dashboard/define.js';
import { FinFundFlow } from '../fund-flow/define.js';
import { FinFunnel } from '../funnel/define.js';
import { FinHeatmap } from '../heatmap/define.js';
import { FinKpiCard, FinKpiGroup } from '../kpi-card/define.js';
import { FinOverdueTrend } from '../overdue-trend/define.js';
import { FinRfm } from '../rfm/define.js';
import { FinTable } from '../table/define.js';
// mining: model monitoring
import { FinModel } from '../model/define.js';

/** React prop → DOM event of every analytic element. */
const elementEvents = {
  onFinSelect: 'fin-select' as EventName<FinSelectEvent>,
  onFinError: 'fin-error' as EventName<FinErrorEvent>,
  onFinQuality: 'fin-quality' as EventName<FinQualityEvent>,
};

/** `<fin-dashboard>`: its widgets' events bubble to it, plus its own. */
const dashboardEvents = {
  ...elementEvents,
  onFinDrilldown: 'fin-drilldown' as EventName<FinDrilldownEvent>,
  onFinFilters: 'fin-filters' as EventName<FinFiltersEvent>,
  onFinPrepare: 'fin-prepare' as EventName<FinPrepareEvent>,
};

export const FinKpiCardReact = createComponent({ react: React, tagName: 'fin-kpi-card', elementClass: FinKpiCard, events: elementEvents, displayName: 'FinKpiCard' });
export const FinKpiGroupReact = createComponent({ react: React, tagName: 'fin-kpi-group', elementClass: FinKpiGroup, displayName: 'FinKpiGroup' });
export const FinFunnelReact = createComponent({ react: React, tagName: 'fin-funnel', elementClass: FinFunnel, events: elementEvents, displayName: 'FinFunnel' });
export const FinHeatmapReact = createComponent({ react: React, tagName: 'fin-heatmap', elementClass: FinHeatmap, events: elementEvents, displayName: 'FinHeatmap' });
export const FinCohortReact = createComponent({ react: React, tagName: 'fin-cohort', elementClass: FinCohort, events: elementEvents, displayName: 'FinCohort' });
export const FinRfmReact = createComponent({ react: React, tagName: 'fin-rfm', elementClass: FinRfm, events: elementEvents, displayName: 'FinRfm' });
export const FinOverdueTrendReact = createComponent({ react: React, tagName: 'fin-overdue-trend', elementClass: FinOverdueTrend, events: elementEvents, displayName: 'FinOverdueTrend' });
export const FinFundFlowReact = createComponent({ react: React, tagName: 'fin-fund-flow', elementClass: FinFundFlow, events: elementEvents, displayName: 'FinFundFlow' });
export const FinTableReact = createComponent({ react: React, tagName: 'fin-table', elementClass: FinTable, events: elementEvents, displayName: 'FinTable' });
// mining: model monitoring
export const FinModelReact = createComponent({ react: React, tagName: 'fin-model', elementClass: FinModel, events: elementEvents, displayName: 'FinModel' });
export const FinDashboardReact = createComponent({ react: React, tagName: 'fin-dashboard', elementClass: FinDashboard, events: dashboardEvents, displayName: 'FinDashboard' });
export const FinFilterBarReact = createComponent({
  react: React,
  tagName: 'fin-filter-bar',
  elementClass: FinFilterBar,
  events: { onFinFilters: 'fin-filters' as EventName<FinFiltersEvent> },
  displayName: 'FinFilterBar',
});
export const FinLinkReact = createComponent({ react: React, tagName: 'fin-link', elementClass: FinLink, displayName: 'FinLink' });

// The React names are the element class names: `import { FinHeatmap } from 'finboard/react'`.
export {
  FinKpiCardReact as FinKpiCard,
  FinKpiGroupReact as FinKpiGroup,
  FinFunnelReact as FinFunnel,
  FinHeatmapReact as FinHeatmap,
  FinCohortReact as FinCohort,
  FinRfmReact as FinRfm,
  FinOverdueTrendReact as FinOverdueTrend,
  FinFundFlowReact as FinFundFlow,
  FinTableReact as FinTable,
  // mining: model monitoring
  FinModelReact as FinModel,
  FinDashboardReact as FinDashboard,
  FinFilterBarReact as FinFilterBar,
  FinLinkReact as FinLink,
};
export type { EventName };
