import { define } from '../base/define.js';
import { FinDashboard } from './dashboard.js';
import { FinFilterBar } from './filter-bar.js';
import { FinLink } from './link.js';

define('fin-filter-bar', FinFilterBar);
define('fin-link', FinLink);
define('fin-dashboard', FinDashboard);

export { FinDashboard, FinFilterBar, FinLink };

declare global {
  interface HTMLElementTagNameMap {
    'fin-dashboard': FinDashboard;
    'fin-filter-bar': FinFilterBar;
    'fin-link': FinLink;
  }
}
