import { define } from '../base/define.js';
import type { FinErrorEvent, FinQualityEvent, FinSelectEvent } from '../base/events.js';
import { FinKpiCard } from './kpi-card.js';
import { FinKpiGroup } from './kpi-group.js';

define('fin-kpi-card', FinKpiCard);
define('fin-kpi-group', FinKpiGroup);

export { FinKpiCard, FinKpiGroup };
export { FinErrorEvent, FinQualityEvent, FinSelectEvent } from '../base/events.js';
export type { FinErrorDetail, FinQualityDetail, FinSelectDetail } from '../base/events.js';

export type { KpiCardParams } from '../base/params.js';

/*
 * Typed tags and events from this entry alone: `import 'finboard/components/kpi-card'` is enough for
 * `document.createElement('fin-kpi-card')` and `el.addEventListener('fin-select', (e) => e.detail.clause)`.
 */
declare global {
  interface HTMLElementTagNameMap {
    'fin-kpi-card': FinKpiCard;
    'fin-kpi-group': FinKpiGroup;
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
