import { define } from '../base/define.js';
import type { FinErrorEvent, FinQualityEvent, FinSelectEvent } from '../base/events.js';
import { FinTable } from './table.js';

define('fin-table', FinTable);

export { FinTable };
export { FinErrorEvent, FinQualityEvent, FinSelectEvent } from '../base/events.js';
export type { FinErrorDetail, FinQualityDetail, FinSelectDetail } from '../base/events.js';

export type { TableElementParams } from '../base/params.js';

/*
 * Typed tags and events from this entry alone: `import 'finboard/components/table'` is enough for
 * `document.createElement('fin-table')` and `el.addEventListener('fin-select', (e) => e.detail.clause)`.
 */
declare global {
  interface HTMLElementTagNameMap {
    'fin-table': FinTable;
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
