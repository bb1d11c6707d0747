// docs/embedding.md "TypeScript", as written:
import 'finboard/components/heatmap';
import type { FinSelectEvent } from 'finboard/components'; // type only: registers nothing

const heatmap = document.querySelector('fin-heatmap')!; // FinHeatmap
heatmap.addEventListener('fin-select', (e: FinSelectEvent) => console.log(e.detail.clause));

// The rest of the page: a KPI card and the heatmap on an in-page engine, the collection dashboard,
// and an engine in a Web Worker (webpack 5 emits finboard's worker by itself).
import 'finboard/components';
import { createEngine } from 'finboard';
import type { FinEngine } from 'finboard';
import { collectionDashboard } from 'finboard/dashboards';

const overdue = { series: { metric: 'overdue_rate', params: { k: 1 }, value: 'rate' } };
const $ = <E extends Element>(selector: string): E => document.querySelector<E>(selector)!;

async function inPage(engine: FinEngine): Promise<void> {
  await engine.loadSample({ customers: 500 });
  const card = $<HTMLElementTagNameMap['fin-kpi-card']>('#kpi-card');
  card.engine = engine;
  card.params = overdue;
  heatmap.engine = engine;
  heatmap.addEventListener('fin-select', (e: FinSelectEvent) => {
    $('#selection').textContent = JSON.stringify(e.detail.clause);
  });
}

async function inWorker(): Promise<void> {
  const engine = createEngine({ placement: 'worker' });
  await engine.loadSample({ customers: 500 });
  const r = await engine.query({ metric: 'overdue_rate', params: { k: 1 } });
  $('#worker-result').textContent = `${r.data.length} rows`;
  const card = $<HTMLElementTagNameMap['fin-kpi-card']>('#worker-kpi');
  card.engine = engine;
  card.params = overdue;
}

$<HTMLElementTagNameMap['fin-dashboard']>('fin-dashboard').spec = collectionDashboard;
void inPage(createEngine());
void inWorker();
