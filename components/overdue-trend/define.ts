import { define } from '../base/define.js';
import { FinOverdueTrend } from './overdue-trend.js';

define('fin-overdue-trend', FinOverdueTrend);

export { FinOverdueTrend };

declare global {
  interface HTMLElementTagNameMap {
    'fin-overdue-trend': FinOverdueTrend;
  }
}
