import { define } from '../base/define.js';
import type { FinErrorEvent, FinQualityEvent, FinSelectEvent } from '../base/events.js';
import { FinOverdueTrend } from './overdue-trend.js';

define('fin-overdue-trend', FinOverdueTrend);

export { FinOverdueTrend };
export { FinErrorEvent, FinQualityEvent, FinSelectEvent } from '../base/events.js';
export type { FinErrorDetail, FinQualityDetail, FinSelectDetail } from '../base/events.js';

export type { OverdueTrendElementParams } from '../base/params.js';

/*
 * Typed tags and events from this entry alone: `import 'finboard/components/overdue-trend'` is enough for
 * `document.createElement('fin-overdue-trend')` and `el.addEventListener('fin-select', (e) => e.detail.clause)`.
 */
declare global {
  interface HTMLElementTagNameMap {
    'fin-overdue-trend': FinOverdueTrend;
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
