/** The roll-rate matrix: model (bucket at t0 × state at t1) and heat-table spec. */
import type { MetricResult } from '../../engine/types.js';
import { formatCompact, formatMonth, formatValue } from '../../format/number.js';
import type { Locale } from '../../format/number.js';
import { luminance, contrast, mix } from './colors.js';
import type { OverdueColors } from './displays.js';
import { textWidth, bucketLabelsOf, pct } from './labels.js';
import { m, num, str } from './shared.js';
import type { Spec } from './shared.js';
import { SCHEMA, MARKS_HIDDEN } from './spec-parts.js';
import type { SpecOptions } from './spec-parts.js';

export interface RollCell {
  from: string;
  to: string;
  fromLabel: string;
  toLabel: string;
  share: number | null;
  loans: number | null;
  amount: number | null;
  value: number | null;
  /** Cell text (percent); empty when too small to print or 0. */
  text: string;
  /** `light` text on dark fills, `dark` text on light fills. */
  tone: 'light' | 'dark';
  /** Fill colour the share maps to (for the text tone and tests). */
  fill: string;
}

export interface RollModel {
  rows: string[];
  rowLabels: string[];
  columns: string[];
  columnLabels: string[];
  cells: RollCell[];
  totals: Map<string, { loans: number; amount: number; value: number }>;
  t0: string | null;
  t1: string | null;
  measure: 'count' | 'amount';
}

/** The two ends of the roll-rate heat scale, per theme background. */
export function heatRange(colors: OverdueColors): [string, string] {
  return luminance(colors.bg) > 0.4 ? ['#eef3fb', '#0b3a82'] : ['#1b2638', '#7cc4fa'];
}

/** Localised roll-rate column label (`closed` → 结清 / Closed). */
export function stateLabel(state: string, locale: Locale): string {
  return state === 'closed' || state === 'written_off' || state === 'missing' ? m(locale, state) : state;
}

/** Roll-rate model: rows = t0 bucket, columns = t1 state; the `missing` column only when used. */
export function rollModel(r: MetricResult, locale: Locale, colors: OverdueColors): RollModel {
  const data = r.data as Array<Record<string, unknown>>;
  const declaredRows = Array.isArray(r.meta?.['rows']) ? (r.meta['rows'] as string[]) : bucketLabelsOf(r);
  const declaredCols = Array.isArray(r.meta?.['columns'])
    ? (r.meta['columns'] as string[])
    : [...declaredRows, 'closed', 'written_off', 'missing'];
  const rows = declaredRows.slice();
  for (const x of data) if (!rows.includes(str(x['from']))) rows.push(str(x['from']));
  let columns = declaredCols.slice();
  for (const x of data) if (!columns.includes(str(x['to']))) columns.push(str(x['to']));
  const used = new Set(
    data
      .filter((x) => (num(x['value']) ?? num(x['loans']) ?? 0) > 0 || (num(x['share']) ?? 0) > 0)
      .map((x) => str(x['to'])),
  );
  columns = columns.filter((c) => c !== 'missing' || used.has('missing'));
  const measure = (r.basis?.measure === 'amount' || r.meta?.['measure'] === 'amount' ? 'amount' : 'count') as
    'count' | 'amount';
  const totals = new Map<string, { loans: number; amount: number; value: number }>();
  const metaTotals = Array.isArray(r.meta?.['totals'])
    ? (r.meta['totals'] as Array<Record<string, unknown>>)
    : [];
  for (const row of rows) {
    const mt = metaTotals.find((x) => x['from'] === row);
    if (mt)
      totals.set(row, {
        loans: num(mt['loans']) ?? 0,
        amount: num(mt['amount']) ?? 0,
        value: num(mt['value']) ?? 0,
      });
    else {
      const cells = data.filter((x) => str(x['from']) === row);
      totals.set(row, {
        loans: cells.reduce((a, x) => a + (num(x['loans']) ?? 0), 0),
        amount: cells.reduce((a, x) => a + (num(x['amount']) ?? 0), 0),
        value: cells.reduce((a, x) => a + (num(x['value']) ?? 0), 0),
      });
    }
  }
  const rowLabel = (b: string): string => {
    const t = totals.get(b)!;
    return measure === 'amount'
      ? m(locale, 'rowAmount', { bucket: b, n: formatCompact(t.amount, locale) })
      : m(locale, 'rowLoans', { bucket: b, n: formatValue(t.loans, 'count', locale) });
  };
  const rowLabels = rows.map(rowLabel);
  const columnLabels = columns.map((c) => stateLabel(c, locale));
  const [lo, hi] = heatRange(colors);
  const byKey = new Map<string, Record<string, unknown>>();
  for (const x of data) byKey.set(`${str(x['from'])}|${str(x['to'])}`, x);
  const cells: RollCell[] = [];
  for (let i = 0; i < rows.length; i++) {
    for (let j = 0; j < columns.length; j++) {
      const x = byKey.get(`${rows[i]}|${columns[j]}`);
      const share = x ? num(x['share']) : null;
      const fill = share === null ? colors.surface : mix(lo, hi, Math.max(0, Math.min(1, share)));
      const tone = contrast('#ffffff', fill) >= contrast('#111827', fill) ? 'light' : 'dark';
      cells.push({
        from: rows[i]!,
        to: columns[j]!,
        fromLabel: rowLabels[i]!,
        toLabel: columnLabels[j]!,
        share,
        loans: x ? num(x['loans']) : null,
        amount: x ? num(x['amount']) : null,
        value: x ? num(x['value']) : null,
        text:
          share === null || share === 0
            ? ''
            : share < 0.001
              ? '<0.1%'
              : pct(share, locale, share >= 0.995 ? 0 : 1),
        tone,
        fill,
      });
    }
  }
  const t0 =
    typeof r.meta?.['t0'] === 'string' ? (r.meta['t0'] as string) : str(r.basis?.options?.['t0']) || null;
  const t1 =
    typeof r.meta?.['t1'] === 'string' ? (r.meta['t1'] as string) : str(r.basis?.options?.['t1']) || null;
  return { rows, rowLabels, columns, columnLabels, cells, totals, t0, t1, measure };
}

/** Roll-rate heat table: rows = bucket at t0, columns = state at t1, percent labels in cells. */
export function rollSpec(model: RollModel, o: SpecOptions): Spec {
  const rowH = 26;
  const yW = Math.max(...model.rowLabels.map((l) => textWidth(l))) + 14;
  const plotW = Math.max(60, o.width - yW - 16);
  const colW = plotW / Math.max(1, model.columns.length);
  const maxColLabel = Math.max(...model.columnLabels.map((l) => textWidth(l)));
  const angle = maxColLabel + 6 <= colW ? 0 : -45;
  const showText = colW >= 34;
  const selected = o.selectedBucket ?? null;
  const height = rowH * Math.max(1, model.rows.length);
  const t0 = model.t0 ? formatMonth(model.t0, o.locale) : 't0';
  const t1 = model.t1 ? formatMonth(model.t1, o.locale) : 't1';
  const x = {
    field: 'toLabel',
    type: 'ordinal',
    scale: { domain: model.columnLabels, paddingInner: 0.06, paddingOuter: 0 },
    axis: {
      orient: 'top',
      title: m(o.locale, 'stateAtT1', { t1 }),
      labelAngle: angle,
      ...(angle ? { labelAlign: 'left', labelBaseline: 'middle' } : {}),
      labelOverlap: false,
      ticks: false,
      domain: false,
      labelPadding: 4,
    },
  };
  const y = {
    field: 'fromLabel',
    type: 'ordinal',
    scale: { domain: model.rowLabels, paddingInner: 0.08, paddingOuter: 0 },
    axis: { title: m(o.locale, 'bucketAtT0', { t0 }), ticks: false, domain: false, labelPadding: 6 },
  };
  const [lo, hi] = heatRange(o.colors);
  const cells = model.cells.map((c) => ({ ...c }));
  const layers: Spec[] = [
    {
      data: { values: cells },
      mark: { type: 'rect', fill: o.colors.surface, stroke: o.colors.border, strokeWidth: 0.5 },
      encoding: { x, y },
    },
    {
      name: 'cells',
      data: { values: cells },
      mark: { type: 'rect', cursor: 'pointer', tooltip: { content: 'data' } },
      encoding: {
        x,
        y,
        color: {
          field: 'share',
          type: 'quantitative',
          scale: { domain: [0, 1], range: [lo, hi], interpolate: 'rgb' },
          legend: null,
        },
      },
    },
    {
      data: { values: cells.filter((c) => c.from === c.to) },
      mark: { type: 'rect', filled: false, stroke: o.colors.fg, strokeWidth: 1, strokeOpacity: 0.55 },
      encoding: { x, y },
    },
  ];
  if (selected && model.rows.includes(selected)) {
    layers.push({
      data: { values: cells.filter((c) => c.from === selected) },
      mark: { type: 'rect', filled: false, stroke: o.colors.accent, strokeWidth: 2.5 },
      encoding: { x, y },
    });
  }
  if (showText) {
    layers.push({
      data: { values: cells.filter((c) => c.text !== '') },
      mark: { type: 'text', fontSize: colW >= 46 ? 11 : 10, cursor: 'pointer', tooltip: { content: 'data' } },
      encoding: {
        x,
        y,
        text: { field: 'text', type: 'nominal' },
        color: {
          field: 'tone',
          type: 'nominal',
          scale: { domain: ['dark', 'light'], range: ['#111827', '#ffffff'] },
          legend: null,
        },
      },
    });
  }
  return {
    $schema: SCHEMA,
    ...(o.description ? { description: o.description } : {}),
    width: Math.max(120, Math.floor(o.width)),
    height,
    autosize: { type: 'fit-x', contains: 'padding' },
    padding: { left: 2, right: 10, top: 4, bottom: 4 },
    config: MARKS_HIDDEN,
    layer: layers,
  };
}
