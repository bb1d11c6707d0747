/** The heatmap grid: every x × y cell (nulls kept) with unique labels, value labels and the colour scale. */
import { formatValue } from '../../format/number.js';
import type { ValueFormat } from '../../format/number.js';
import { inkOn, adaptRamp, colorScale, colorOf } from './color.js';
import type { HeatColorScale } from './color.js';
import { dimLabel, nameKind, keyId, orderDomain } from './labels.js';
import type { DimPart, HeatKey, HeatRow, HeatmapSpecInput, HeatDatum } from './types.js';

/** Unique labels: a repeated label gets a counter (" (2)") so scale domains stay one-to-one. */
function uniqueLabels(labels: string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const c = seen.get(l) ?? 0;
    seen.set(l, c + 1);
    return c === 0 ? l : `${l} (${c + 1})`;
  });
}

/**
 * Whether a dimension's labels speak for themselves (hours, weekdays, months, dates, and
 * categories made of month or weekday names), so the axis needs no title.
 */
export function selfExplanatory(part: DimPart, keys: HeatKey[]): boolean {
  return (part !== 'category' && part !== 'bin') || nameKind(part, keys) !== null;
}

export interface HeatGrid {
  xKeys: HeatKey[];
  yKeys: HeatKey[];
  xLabels: string[];
  yLabels: string[];
  cells: HeatDatum[];
  scale: HeatColorScale;
}

/** Digits of cell labels, preferred first (percent: 12.3% then 12%). */
export function labelDigits(format: ValueFormat, digits: number | undefined): Array<number | undefined> {
  if (digits !== undefined) return [digits];
  if (format === 'percent') return [1, 0];
  if (format === 'number') return [2, 1, 0];
  return [undefined];
}

/** Every x × y cell (missing ones as null), with labels, texts and ink. */
export function heatGrid(input: HeatmapSpecInput, labelDigitsChoice?: number | undefined): HeatGrid {
  const L = input.locale;
  const xKeys = orderDomain(input.xDomain, input.rows, 'x', input.xPart);
  const yKeys = orderDomain(input.yDomain, input.rows, 'y', input.yPart);
  const xNames = nameKind(input.xPart, xKeys);
  const yNames = nameKind(input.yPart, yKeys);
  const xLabels = uniqueLabels(xKeys.map((k) => dimLabel(k, input.xPart, L, input.blankLabel, xNames)));
  const yLabels = uniqueLabels(yKeys.map((k) => dimLabel(k, input.yPart, L, input.blankLabel, yNames)));
  const byCell = new Map<string, HeatRow>();
  for (const r of input.rows) byCell.set(`${keyId(r.x)}|${keyId(r.y)}`, r);
  const fitted = adaptRamp(
    input.ramp.length ? input.ramp : ['#c6dbef', '#08519c'],
    input.scheme,
    input.colors.bg || '#ffffff',
  );
  const ramp = input.reverse ? fitted.slice().reverse() : fitted;
  const scale = colorScale(input.rows, input.scheme, ramp, input.domainMid);
  const digits = labelDigitsChoice ?? labelDigits(input.format, input.digits)[0];
  const sel = input.selected ?? null;
  const selId = sel ? keyId(sel.key) : '';
  const cells: HeatDatum[] = [];
  yKeys.forEach((yk, yi) => {
    xKeys.forEach((xk, xi) => {
      const r = byCell.get(`${keyId(xk)}|${keyId(yk)}`);
      const raw = r?.value;
      const v = raw === null || raw === undefined || !Number.isFinite(raw) ? null : raw;
      const n = typeof r?.n === 'number' && Number.isFinite(r.n) ? r.n : 0;
      const isSel = sel ? keyId(sel.dim === 'x' ? xk : yk) === selId : false;
      cells.push({
        k: yi * xKeys.length + xi,
        xv: xk,
        yv: yk,
        xl: xLabels[xi]!,
        yl: yLabels[yi]!,
        xi,
        yi,
        v,
        n,
        vt: v === null ? '' : formatValue(v, input.format, L, digits),
        ink: v === null ? input.colors.muted : inkOn(colorOf(scale, v)),
        op: sel && !isSel ? 0.3 : 1,
        st: isSel ? input.colors.accent : null,
      });
    });
  });
  return { xKeys, yKeys, xLabels, yLabels, cells, scale };
}
