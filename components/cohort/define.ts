import { define } from '../base/define.js';
import { FinCohort } from './cohort.js';

define('fin-cohort', FinCohort);

export { FinCohort };

declare global {
  interface HTMLElementTagNameMap {
    'fin-cohort': FinCohort;
  }
}
