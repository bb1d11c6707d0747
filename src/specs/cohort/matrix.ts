/** The cohort heat matrix spec: rect and text layers with precomputed fills and inks. */
import { rampColor, INK_DARK, INK_LIGHT, inkFor } from './color.js';
import { periodLabel, periodAxisTitle, headers, formatCell, colorDomain } from './labels.js';
import { LABEL_FONT, GAP, HEAD_GAP, matrixLayout } from './layout.js';
import type { CohortSpecOptions } from './layout.js';
import type { CohortModel } from './model.js';
import { SCHEMA } from './shared.js';
import type { VlSpec } from './shared.js';

export function matrixSpec(m: CohortModel, o: CohortSpecOptions): VlSpec {
  const L = matrixLayout(m, o.width);
  const th = o.theme;
  const [lo, hi] = colorDomain(m);
  const h = headers(m);
  const cols = Array.from({ length: m.periods }, (_, p) => periodLabel(m, p));
  const sel = o.selected ?? null;
  const cells: Array<Record<string, unknown>> = [];
  const texts: Array<Record<string, unknown>> = [];
  m.rows.forEach((r, row) => {
    r.values.forEach((v, p) => {
      if (v === null) return; // right-censored: drawn blank, never as 0
      const t = hi > lo ? (v - lo) / (hi - lo) : 0;
      const fill = rampColor(th.ramp, t);
      const cell = { row, col: cols[p], period: p, cohort: r.key, value: v, fill };
      cells.push(cell);
      if (L.showValues)
        texts.push({ ...cell, text: formatCell(m, v, L.digits), ink: inkFor(fill, INK_DARK, INK_LIGHT) });
    });
  });
  const rowLabels = m.rows.map((r, row) => ({
    row,
    cohort: r.key,
    label: r.label,
    size: r.sizeText,
    ink: r.key === sel ? th.accent : th.fg,
  }));
  // Column headers and the period title are text marks (not an axis): bare numbers when thinned.
  const x = {
    field: 'col',
    type: 'ordinal',
    scale: { domain: cols, paddingInner: 0, paddingOuter: 0 },
    axis: null,
  };
  const heads = cols
    .map((col, p) => ({ col, text: L.numericHeads ? String(p) : col }))
    .filter((_, p) => p % L.stride === 0);
  const y = {
    field: 'row',
    type: 'ordinal',
    scale: { domain: m.rows.map((_, i) => i), paddingInner: 0, paddingOuter: 0 },
    axis: null,
  };
  const gap = L.bandW >= 6 && L.rowH >= 6 ? 1 : 0;
  const layer: VlSpec[] = [
    {
      data: { values: cells },
      mark: {
        type: 'rect',
        stroke: th.bg,
        strokeWidth: gap,
        cursor: 'pointer',
        tooltip: { content: 'data' },
        aria: false,
      },
      encoding: { x, y, fill: { field: 'fill', type: 'nominal', scale: null, legend: null } },
    },
  ];
  if (L.showValues && texts.length) {
    layer.push({
      data: { values: texts },
      mark: {
        type: 'text',
        fontSize: L.valueFont,
        baseline: 'middle',
        align: 'center',
        cursor: 'pointer',
        tooltip: { content: 'data' },
        aria: false,
      },
      encoding: {
        x: { field: 'col', type: 'ordinal' },
        y: { field: 'row', type: 'ordinal' },
        text: { field: 'text', type: 'nominal' },
        fill: { field: 'ink', type: 'nominal', scale: null, legend: null },
      },
    });
  }
  const labelX = -(L.sizeW + 2 * GAP);
  layer.push(
    {
      // Row labels: clickable marks (an axis label has no datum to select with).
      data: { values: rowLabels },
      mark: {
        type: 'text',
        align: 'right',
        baseline: 'middle',
        fontSize: LABEL_FONT,
        cursor: 'pointer',
        aria: false,
      },
      encoding: {
        x: { value: labelX },
        y: { field: 'row', type: 'ordinal' },
        text: { field: 'label', type: 'nominal' },
        fill: { field: 'ink', type: 'nominal', scale: null, legend: null },
      },
    },
    {
      data: { values: rowLabels },
      mark: {
        type: 'text',
        align: 'right',
        baseline: 'middle',
        fontSize: LABEL_FONT,
        fill: th.muted,
        cursor: 'pointer',
        aria: false,
      },
      encoding: {
        x: { value: -GAP },
        y: { field: 'row', type: 'ordinal' },
        text: { field: 'size', type: 'nominal' },
      },
    },
    {
      data: { values: heads },
      mark: {
        type: 'text',
        align: 'center',
        baseline: 'bottom',
        fontSize: LABEL_FONT,
        fill: th.muted,
        aria: false,
      },
      encoding: {
        x: { field: 'col', type: 'ordinal' },
        y: { value: -HEAD_GAP },
        text: { field: 'text', type: 'nominal' },
      },
    },
    {
      data: { values: [{ text: periodAxisTitle(m) }] },
      mark: {
        type: 'text',
        align: 'center',
        baseline: 'bottom',
        fontSize: LABEL_FONT,
        fill: th.muted,
        aria: false,
      },
      encoding: {
        x: { value: L.plotW / 2 },
        y: { value: -(HEAD_GAP + LABEL_FONT + 6) },
        text: { field: 'text', type: 'nominal' },
      },
    },
    ...[
      { text: h.cohort, x: labelX },
      { text: h.size, x: -GAP },
    ].map((head) => ({
      // Column headers, level with the period headers of the top axis.
      data: { values: [{ text: head.text }] },
      mark: {
        type: 'text',
        align: 'right',
        baseline: 'bottom',
        fontSize: LABEL_FONT,
        fill: th.muted,
        aria: false,
      },
      encoding: { x: { value: head.x }, y: { value: -HEAD_GAP }, text: { field: 'text', type: 'nominal' } },
    })),
  );
  const selRow = m.rows.findIndex((r) => r.key === sel);
  if (selRow >= 0) {
    layer.push({
      data: { values: [{ row: selRow, cohort: sel }] },
      mark: { type: 'rect', fill: null, stroke: th.accent, strokeWidth: 2, cursor: 'pointer', aria: false },
      encoding: {
        x: { value: labelX - L.labelW - 4 },
        x2: { value: L.plotW + 1 },
        y: { field: 'row', type: 'ordinal' },
      },
    });
  }
  return {
    $schema: SCHEMA,
    width: L.plotW,
    height: L.plotH,
    autosize: { type: 'pad' },
    padding: { left: 0, right: 2, top: 0, bottom: 2 },
    layer,
    config: { view: { stroke: null } },
  };
}
