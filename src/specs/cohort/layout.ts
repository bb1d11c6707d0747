/** Theme and options of the cohort specs, and the matrix layout: label widths, row height, column band, header stride, value labels on/off. */
import { periodLabel, headers, formatCell } from './labels.js';
import type { CohortModel } from './model.js';

/** Approximate rendered width of a label (CJK ideographs are 1 em; Latin and digits ≈ 0.6 em). */
export function textWidth(s: string, fontSize: number): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x2e80) w += fontSize;
    else if (/[A-Z%MW@]/.test(ch)) w += fontSize * 0.72;
    else if (/[0-9]/.test(ch)) w += fontSize * 0.58;
    else if (/[.,:;'|!il ]/.test(ch)) w += fontSize * 0.3;
    else w += fontSize * 0.56;
  }
  return Math.ceil(w);
}

export interface CohortTheme {
  /** Heat ramp stops (hex). */
  ramp: string[];
  /** Text, secondary text, background, border, accent (hex or CSS colours). */
  fg: string;
  muted: string;
  bg: string;
  border: string;
  accent: string;
}

export interface CohortSpecOptions {
  /** Available width in CSS pixels (the whole view: labels, size column and plot). */
  width: number;
  display: 'matrix' | 'curves';
  /** Key of the selected cohort, highlighted. */
  selected?: string | null;
  theme: CohortTheme;
}

export interface MatrixLayout {
  /** Width of the row-label column and of the size column. */
  labelW: number;
  sizeW: number;
  /** Plot (cell area) width and height. */
  plotW: number;
  plotH: number;
  /** Width of one period column and height of one row. */
  bandW: number;
  rowH: number;
  /** Show every `stride`-th column header. */
  stride: number;
  /** Column headers as bare numbers (`12`) instead of `p12` / `MOB12` when the full ones do not fit. */
  numericHeads: boolean;
  /** Whether values are written in the cells, and with how many fraction digits. */
  showValues: boolean;
  digits: number;
  /** Font size of value labels. */
  valueFont: number;
}

export const LABEL_FONT = 11;
export const GAP = 8;
/** Distance of the column headers above the cells. */
export const HEAD_GAP = 5;

/** Sizes of the matrix for a width: every label measured, value labels only where they fit. */
export function matrixLayout(m: CohortModel, width: number): MatrixLayout {
  const h = headers(m);
  const labelW = Math.max(
    textWidth(h.cohort, LABEL_FONT),
    ...m.rows.map((r) => textWidth(r.label, LABEL_FONT)),
  );
  const sizeW = Math.max(
    textWidth(h.size, LABEL_FONT),
    ...m.rows.map((r) => textWidth(r.sizeText, LABEL_FONT)),
  );
  const cols = Math.max(1, m.periods);
  const plotW = Math.max(cols * 3, Math.floor(width - labelW - sizeW - 2 * GAP - 10));
  const bandW = plotW / cols;
  const n = m.rows.length;
  const rowH = n <= 6 ? 28 : n <= 14 ? 24 : n <= 24 ? 20 : 17;
  const plotH = Math.max(1, n) * rowH;
  const last = Math.max(0, cols - 1);
  const fullW = textWidth(periodLabel(m, last), LABEL_FONT) + 6;
  const numericHeads = fullW > bandW;
  const stride = numericHeads ? Math.max(1, Math.ceil((textWidth(String(last), LABEL_FONT) + 6) / bandW)) : 1;
  // Value labels: the widest label of the chosen precision must fit in a column with 4px to spare.
  const valueFont = rowH >= 20 ? 11 : 10;
  let digits = m.kind === 'vintage' ? 2 : 1;
  let showValues = false;
  if (rowH >= 17) {
    for (; digits >= 0; digits--) {
      let widest = 0;
      for (const r of m.rows)
        for (const v of r.values)
          if (v !== null) widest = Math.max(widest, textWidth(formatCell(m, v, digits), valueFont));
      if (widest + 4 <= bandW) {
        showValues = true;
        break;
      }
      if (m.valueKind === 'count') break;
    }
    if (!showValues) digits = 0;
  }
  return {
    labelW,
    sizeW,
    plotW,
    plotH,
    bandW,
    rowH,
    stride,
    numericHeads,
    showValues,
    digits: Math.max(0, digits),
    valueFont,
  };
}
