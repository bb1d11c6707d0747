import { define } from '../base/define.js';
import { FinFunnel } from './funnel.js';

define('fin-funnel', FinFunnel);

export { FinFunnel };

declare global {
  interface HTMLElementTagNameMap {
    'fin-funnel': FinFunnel;
  }
}
