import { define } from '../base/define.js';
// The editor previews every element type and whole dashboards.
import '../kpi-card/define.js';
import '../funnel/define.js';
import '../heatmap/define.js';
import '../cohort/define.js';
import '../rfm/define.js';
import '../overdue-trend/define.js';
import '../fund-flow/define.js';
import '../table/define.js';
import '../cluster/define.js';
import '../profile/define.js';
import '../model/define.js';
import '../dashboard/define.js';
import type { FinErrorEvent } from '../base/events.js';
import { FinDashboardEditor, FinSaveEvent, FinSpecChangeEvent } from './editor.js';

define('fin-dashboard-editor', FinDashboardEditor);

export { FinDashboardEditor, FinSaveEvent, FinSpecChangeEvent };
export type { FinSpecChangeDetail } from './editor.js';
export { FinErrorEvent } from '../base/events.js';

/*
 * Typed tag and events from this entry alone: `import 'finboard/components/dashboard-editor'`.
 * The editor previews widgets and whole dashboards, so this entry also defines `<fin-dashboard>`
 * and (through it) every element.
 */
declare global {
  interface HTMLElementTagNameMap {
    'fin-dashboard-editor': FinDashboardEditor;
  }
  interface HTMLElementEventMap {
    'fin-spec-change': FinSpecChangeEvent;
    'fin-save': FinSaveEvent;
    'fin-error': FinErrorEvent;
  }
  interface GlobalEventHandlersEventMap {
    'fin-spec-change': FinSpecChangeEvent;
    'fin-save': FinSaveEvent;
    'fin-error': FinErrorEvent;
  }
}
