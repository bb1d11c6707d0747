import { useCallback, useEffect, useState } from 'react';
import { collectionDashboard } from 'finboard/dashboards';
import type { FilterClause } from 'finboard';
import { ContactHeatmap } from './ContactHeatmap.jsx';
import { OverdueCard } from './OverdueCard.jsx';
import { engine, engineReady, workerEngine, workerReady } from './engines';
import { FinDashboard, FinKpiCard } from './fin';

const overdue = { series: { metric: 'overdue_rate', params: { k: 1 }, value: 'rate' } } as const;

/** True once `p` settled: elements get an engine after its data is loaded. */
function useSettled(p: Promise<unknown>): boolean {
  const [done, setDone] = useState(false);
  useEffect(() => {
    let live = true;
    void p.finally(() => live && setDone(true));
    return () => {
      live = false;
    };
  }, [p]);
  return done;
}

export function App() {
  const [clause, setClause] = useState<FilterClause | null>(null);
  const [workerRows, setWorkerRows] = useState('');
  const onSelect = useCallback((c: FilterClause | null) => setClause(c), []);
  const ready = useSettled(engineReady);
  const workerUp = useSettled(workerReady);

  useEffect(() => {
    if (!workerUp) return;
    let live = true;
    void workerEngine.query({ metric: 'overdue_rate', params: { k: 1 } }).then((r) => live && setWorkerRows(`${r.data.length} rows`));
    return () => {
      live = false;
    };
  }, [workerUp]);

  return (
    <main>
      <h1>Vite + React 18</h1>
      <section id="kpi">
        {ready && <OverdueCard engine={engine} />}
      </section>
      <section id="heatmap">
        {ready && <ContactHeatmap engine={engine} onSelect={onSelect} />}
        <p>
          Selected: <output id="selection">{clause ? JSON.stringify(clause) : ''}</output>
        </p>
      </section>
      <section id="dashboard">
        <FinDashboard spec={collectionDashboard} locale="zh-CN" />
      </section>
      <section id="worker">
        <h2>Engine in a Web Worker</h2>
        {workerUp && (
          <FinKpiCard engine={workerEngine} params={overdue} heading="M1+ 逾期率 (worker)" format="percent" direction="lower-is-better" locale="zh-CN" />
        )}
        <p>
          Query in the worker: <output id="worker-result">{workerRows}</output>
        </p>
      </section>
    </main>
  );
}
