// Embedding from React 19 and Vue 3 (devDependencies only; no JSX build step needed: both are
// written with their createElement / h APIs). React 19 passes object props to custom elements as
// properties; Vue passes them as properties with the `.prop` modifier semantics of `h()` when the
// element defines the property.
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { createApp, h } from 'vue';
import '../components/kpi-card/define.js';
import '../components/heatmap/define.js';
import '../components/funnel/define.js';
import { createEngine } from '../src/engine/create.js';

const engine = createEngine();
await engine.loadSample({ customers: 600 });

createRoot(document.getElementById('react-root')!).render(
  createElement('fin-kpi-card', {
    heading: 'React: 交易金额',
    source: 'transactions',
    format: 'currency-compact',
    group: 'mix',
    engine,
    params: { measure: { agg: 'sum', field: 'amount' }, sparkline: { unit: 'month', points: 12 } },
  }),
);

createApp({
  render: () =>
    h('fin-heatmap', {
      heading: 'Vue: 交易时段分布',
      preset: 'txn-weekday-hour',
      group: 'mix',
      engine,
      onFinSelect: (e: CustomEvent) => console.info('Vue saw', e.detail),
    }),
}).mount('#vue-root');

const plain = document.getElementById('plain') as HTMLElement & { engine: unknown };
plain.engine = engine;
const log = document.getElementById('log')!;
document.addEventListener('fin-select', (e) => {
  const d = (e as CustomEvent<{ source: string; clause: unknown; label: string }>).detail;
  log.textContent = d.clause ? `${d.source} → ${JSON.stringify(d.clause)}` : `${d.source} cleared`;
});
document.body.dataset['ready'] = '1';
