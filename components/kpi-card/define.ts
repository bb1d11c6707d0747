import { define } from '../base/define.js';
import { FinKpiCard } from './kpi-card.js';
import { FinKpiGroup } from './kpi-group.js';

define('fin-kpi-card', FinKpiCard);
define('fin-kpi-group', FinKpiGroup);

export { FinKpiCard, FinKpiGroup };

declare global {
  interface HTMLElementTagNameMap {
    'fin-kpi-card': FinKpiCard;
    'fin-kpi-group': FinKpiGroup;
  }
}
