import { define } from '../base/define.js';
import { FinTable } from './table.js';

define('fin-table', FinTable);
export { FinTable };

declare global {
  interface HTMLElementTagNameMap {
    'fin-table': FinTable;
  }
}
