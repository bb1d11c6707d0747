import { define } from '../base/define.js';
import { FinRfm } from './rfm.js';

define('fin-rfm', FinRfm);

export { FinRfm };

declare global {
  interface HTMLElementTagNameMap {
    'fin-rfm': FinRfm;
  }
}
