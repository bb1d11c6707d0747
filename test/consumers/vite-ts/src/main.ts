// The heatmap and its host-side selection handler. The KPI card and the dashboard are the README's
// plain-HTML snippets, inline in index.html as written there.
import 'finboard/components/heatmap';
import { createEngine } from 'finboard';
import type { FinHeatmap } from 'finboard/components/heatmap';
import type { FinSelectEvent } from 'finboard/components'; // type only: registers nothing

const engine = createEngine();
const heatmap = document.querySelector<FinHeatmap>('#heatmap')!;
const selection = document.querySelector<HTMLOutputElement>('#selection')!;

const onSelect = (e: FinSelectEvent): void => {
  selection.textContent = JSON.stringify(e.detail.clause); // { field, op, value }, or null when cleared
};
heatmap.addEventListener('fin-select', onSelect);

await engine.loadSample({ customers: 500 });
heatmap.engine = engine;
