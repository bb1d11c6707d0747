import { define } from '../base/define.js';
import type { FinDrilldownEvent, FinErrorEvent, FinFiltersEvent, FinQualityEvent, FinSelectEvent } from '../base/events.js';
import { FinDashboard } from './dashboard.js';
import type { FinPrepareEvent } from './dashboard.js';
import { FinFilterBar } from './filter-bar.js';
import { FinLink } from './link.js';

define('fin-dashboard', FinDashboard);
define('fin-filter-bar', FinFilterBar);
define('fin-link', FinLink);

export { FinDashboard, FinFilterBar, FinLink };
export { FinDrilldownEvent, FinErrorEvent, FinFiltersEvent, FinQualityEvent, FinSelectEvent } from '../base/events.js';
export type { FinDrilldownDetail, FinErrorDetail, FinFiltersDetail, FinQualityDetail, FinSelectDetail } from '../base/events.js';
export { FinPrepareEvent } from './dashboard.js';
export type { FinPrepareDetail } from './dashboard.js';

/*
 * The dashboard fires the element events of its widgets (they bubble and are composed) plus its own.
 * Typed tags and events from this entry alone: `import 'finboard/components/dashboard'` is enough for
 * `document.createElement('fin-dashboard')` and `el.addEventListener('fin-select', (e) => e.detail.clause)`.
 */
declare global {
  interface HTMLElementTagNameMap {
    'fin-dashboard': FinDashboard;
    'fin-filter-bar': FinFilterBar;
    'fin-link': FinLink;
  }
  interface HTMLElementEventMap {
    'fin-select': FinSelectEvent;
    'fin-error': FinErrorEvent;
    'fin-quality': FinQualityEvent;
    'fin-drilldown': FinDrilldownEvent;
    'fin-filters': FinFiltersEvent;
    'fin-prepare': FinPrepareEvent;
  }
  interface GlobalEventHandlersEventMap {
    'fin-select': FinSelectEvent;
    'fin-error': FinErrorEvent;
    'fin-quality': FinQualityEvent;
    'fin-drilldown': FinDrilldownEvent;
    'fin-filters': FinFiltersEvent;
    'fin-prepare': FinPrepareEvent;
  }
}
