// Plain-HTML embedding: the host creates one engine, hands it to each widget, and the widgets
// cross-filter each other through `fin-select` DOM events because they share group="loans".
import '../components/kpi-card/define.js';
import '../components/heatmap/define.js';
import '../components/overdue-trend/define.js';
import { createEngine } from '../src/engine/create.js';

const engine = createEngine();
await engine.loadSample({ customers: 800 });
const kpi = document.getElementById('kpi') as HTMLElement & { engine: unknown; params: unknown };
kpi.params = { series: { metric: 'overdue_rate', params: { k: 1 }, value: 'rate' }, direction: 'lower-is-better' };
for (const id of ['kpi', 'heat', 'trend']) (document.getElementById(id) as HTMLElement & { engine: unknown }).engine = engine;
const log = document.getElementById('log')!;
document.addEventListener('fin-select', (e) => {
  const d = (e as CustomEvent<{ source: string; clause: unknown; label: string }>).detail;
  log.textContent = d.clause ? `联动：${d.source} 选择了 ${d.label}（${JSON.stringify(d.clause)}）` : `联动：${d.source} 已清除选择`;
});
document.body.dataset['ready'] = '1';
