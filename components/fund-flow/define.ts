import { define } from '../base/define.js';
import { FinFundFlow } from './fund-flow.js';

define('fin-fund-flow', FinFundFlow);

export { FinFundFlow };

declare global {
  interface HTMLElementTagNameMap {
    'fin-fund-flow': FinFundFlow;
  }
}
