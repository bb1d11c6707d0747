import { define } from '../base/define.js';
import type { FinErrorEvent, FinQualityEvent, FinSelectEvent } from '../base/events.js';
import { FinCohort } from './cohort.js';

define('fin-cohort', FinCohort);

export { FinCohort };
export { FinErrorEvent, FinQualityEvent, FinSelectEvent } from '../base/events.js';
export type { FinErrorDetail, FinQualityDetail, FinSelectDetail } from '../base/events.js';

export type { CohortElementParams } from '../base/params.js';

/*
 * Typed tags and events from this entry alone: `import 'finboard/components/cohort'` is enough for
 * `document.createElement('fin-cohort')` and `el.addEventListener('fin-select', (e) => e.detail.clause)`.
 */
declare global {
  interface HTMLElementTagNameMap {
    'fin-cohort': FinCohort;
  }
  interface HTMLElementEventMap {
    'fin-select': FinSelectEvent;
    'fin-error': FinErrorEvent;
    'fin-quality': FinQualityEvent;
  }
  interface GlobalEventHandlersEventMap {
    'fin-select': FinSelectEvent;
    'fin-error': FinErrorEvent;
    'fin-quality': FinQualityEvent;
  }
}
