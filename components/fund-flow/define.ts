import { define } from '../base/define.js';
import type { FinErrorEvent, FinQualityEvent, FinSelectEvent } from '../base/events.js';
import { FinFundFlow } from './fund-flow.js';

define('fin-fund-flow', FinFundFlow);

export { FinFundFlow };
export { FinErrorEvent, FinQualityEvent, FinSelectEvent } from '../base/events.js';
export type { FinErrorDetail, FinQualityDetail, FinSelectDetail } from '../base/events.js';

export type { FundFlowElementParams } from '../base/params.js';

/*
 * Typed tags and events from this entry alone: `import 'finboard/components/fund-flow'` is enough for
 * `document.createElement('fin-fund-flow')` and `el.addEventListener('fin-select', (e) => e.detail.clause)`.
 */
declare global {
  interface HTMLElementTagNameMap {
    'fin-fund-flow': FinFundFlow;
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
