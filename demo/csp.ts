// Strict-CSP page: the collection dashboard with the engine in a worker, under
// `script-src 'self'; style-src 'self'` (no 'unsafe-eval', no inline script or style).
// Counts securitypolicyviolation events and shows the count.
import '../components/index.js';
import type { FinDashboard } from '../components/dashboard/dashboard.js';
import { collectionDashboard } from '../src/dashboard/presets.js';

const violations: string[] = [];
document.addEventListener('securitypolicyviolation', (e) => {
  violations.push(`${e.violatedDirective} ${e.blockedURI}`);
  show();
});
const status = document.getElementById('status')!;
const dash = document.getElementById('dash') as FinDashboard;

function show(): void {
  status.textContent = `CSP violations: ${violations.length}${violations.length ? ` (${violations.slice(0, 3).join('; ')})` : ''}; engine: worker; ready: ${dash.isReady}`;
  document.body.dataset['violations'] = String(violations.length);
}

dash.locale = 'zh-CN';
dash.spec = { ...collectionDashboard, engine: { placement: 'worker' }, sample: { customers: 600 } };
void (async () => {
  while (!dash.isReady) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 1500));
  show();
  document.body.dataset['ready'] = '1';
})();
