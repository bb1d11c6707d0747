/**
 * `finboard/components`: registers every element. Import a single element from
 * `finboard/components/<name>` to keep bundles small.
 */
import './kpi-card/define.js';
import './funnel/define.js';
import './heatmap/define.js';
import './cohort/define.js';
import './rfm/define.js';
import './overdue-trend/define.js';
import './fund-flow/define.js';
// mining: model monitoring
import './model/define.js';
import './table/define.js';
// mining-cluster
import './cluster/define.js';
import './profile/define.js';
import './dashboard/define.js';
import './dashboard-editor/define.js';

export { FinElement } from './base/fin-element.js';
export { VegaElement } from './base/vega-element.js';
export * from './base/events.js';
export { finContext } from './base/context.js';
export type { FinDashboardContext } from './base/context.js';
export type * from './base/params.js';
