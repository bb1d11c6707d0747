import { useEffect, useState } from 'react';
import 'finboard/components'; // every element: the dashboards draw their widgets with them
import { collectionDashboard } from 'finboard/dashboards';
import type { DashboardSpec } from 'finboard/dashboards';
import type { FilterClause } from 'finboard';
import { ContactHeatmap } from './ContactHeatmap.jsx';
import { OverdueCard } from './OverdueCard.jsx';
import { engine, engineReady } from './engines';
import './portal-banner';

// Objects given to elements are module constants (or memoised): React 19 sets the property again
// whenever the object's identity changes.
/** The collection dashboard with its engine in a Web Worker (the worker ships with finboard). */
const inWorker: DashboardSpec = { ...collectionDashboard, id: 'collection-worker', engine: { placement: 'worker' }, sample: { customers: 600 } };

export function App() {
  const [clause, setClause] = useState<FilterClause | null>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    void engineReady.then(() => setReady(true));
  }, []);

  // With `finboard/react`, <fin-dashboard …/> below (and the tags in OverdueCard.jsx and
  // ContactHeatmap.jsx) become <FinDashboard …/> etc. from 'finboard/react' with the same props
  // (onFinSelect for onfin-select), and finboard-jsx.d.ts goes.
  return (
    <main>
      <portal-banner heading="Vite + React 19"></portal-banner>
      <section id="kpi">
        {ready && <OverdueCard engine={engine} />}
      </section>
      <section id="heatmap">
        {ready && <ContactHeatmap engine={engine} onSelect={setClause} />}
        <p>
          Selected: <output id="selection">{clause ? JSON.stringify(clause) : ''}</output>
        </p>
      </section>
      <section id="dashboard">
        <fin-dashboard spec={collectionDashboard} locale="zh-CN" />
      </section>
      <section id="worker">
        <h2>Dashboard spec with engine placement "worker"</h2>
        <fin-dashboard spec={inWorker} locale="zh-CN" />
      </section>
    </main>
  );
}
