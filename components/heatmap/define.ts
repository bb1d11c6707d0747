import { define } from '../base/define.js';
import { FinHeatmap } from './heatmap.js';

define('fin-heatmap', FinHeatmap);

export { FinHeatmap };

declare global {
  interface HTMLElementTagNameMap {
    'fin-heatmap': FinHeatmap;
  }
}
