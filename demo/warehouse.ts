/**
 * The collection dashboard on the remote placement: every widget query goes to the Finboard
 * server this page was served with (`npm run demo:warehouse`: DuckDB over the 10M-row sample),
 * at `/finboard` on the same origin, or at `?server=<url>`. Widgets whose metric the SQL backend
 * has not compiled show their typed `unsupported` error state.
 */
import '../components/index.js';
import type { FinDashboard } from '../components/dashboard/dashboard.js';
import { collectionDashboard } from '../src/dashboard/presets.js';
import { createEngine } from '../src/engine/create.js';

const main = document.getElementById('main')!;
const server = new URL(new URLSearchParams(location.search).get('server') ?? './finboard', location.href)
  .href;
const status = document.createElement('p');
status.className = 'status';
status.setAttribute('role', 'status');
status.textContent = `Server: ${server}`;
const dash = document.createElement('fin-dashboard') as FinDashboard;
dash.locale = document.documentElement.lang === 'en-US' ? 'en-US' : 'zh-CN';
// The preset's `sample` would ask the server to generate its sample data (`loadSample`), which a
// client may not do (operator-only by default: a 403 that failed the whole dashboard): the server
// already holds the data.
const { sample: _sample, ...preset } = collectionDashboard;
dash.spec = { ...preset, engine: { placement: 'remote', url: server } };
const painted = new Set<EventTarget>();
// The size the server holds (`npm run demo:warehouse -- --loan-months 1M` serves a smaller one).
let size = '';
void createEngine({ placement: 'remote', url: server })
  .datasetsInfo()
  .then((infos) => {
    const lm = infos.find((d) => d.name === 'loan_months');
    if (lm) size = ` · loan_months ${lm.rows.toLocaleString('en-US')} rows`;
    show();
  })
  .catch(() => undefined);
const show = (): void => {
  status.textContent = `Server: ${server}${size} · ${painted.size} / ${collectionDashboard.widgets.length} widgets drawn ${Math.round(performance.now())} ms after opening`;
};
dash.addEventListener('fin-render', (e) => {
  painted.add(e.composedPath()[0]!);
  show();
});
main.replaceChildren(status, dash);
