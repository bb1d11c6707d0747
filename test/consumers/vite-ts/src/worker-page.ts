// A page whose engine runs only in the worker that ships with finboard: the bundler emits it from
// finboard's own `new Worker(new URL('./worker-entry.js', import.meta.url), { type: 'module' })`,
// and this page's bundle must not carry the in-page engine.
import 'finboard/components/kpi-card';
import { createEngine } from 'finboard';
import type { FinKpiCard } from 'finboard/components/kpi-card';

const engine = createEngine({ placement: 'worker' });
await engine.loadSample({ customers: 500 });

const r = await engine.query({ metric: 'overdue_rate', params: { k: 1 } });
document.querySelector<HTMLOutputElement>('#worker-result')!.textContent = `${r.data.length} rows`;

const card = document.querySelector<FinKpiCard>('#worker-kpi')!;
card.engine = engine;
card.params = { series: { metric: 'overdue_rate', params: { k: 1 }, value: 'rate' } };
