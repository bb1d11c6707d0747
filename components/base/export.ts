import type { MetricResult } from '../../src/engine/types.js';
import { toCsv } from '../../src/format/csv.js';
import { pick } from '../../src/format/messages.js';
import { filtersText, optionsText } from '../../src/format/basis.js';
import type { Locale } from '../../src/format/number.js';
import { addWatermarkToSvg, drawWatermark, watermarkCsvLine } from './watermark.js';

/** The watermark an export draws in: its text (null: none) and whether the dark colours apply. */
export interface ExportWatermark {
  text: string | null;
  dark?: boolean;
}

/** Basis lines for an export header (formula, numerator, denominator, as-of, filters). */
export function basisLines(r: MetricResult, locale: Locale): string[] {
  const b = r.basis;
  const out = [`${pick(b.title, locale)} — ${pick(b.formula, locale)}`];
  if (b.numerator) out.push(`${locale === 'zh-CN' ? '分子' : 'Numerator'}: ${pick(b.numerator, locale)}`);
  if (b.denominator) out.push(`${locale === 'zh-CN' ? '分母' : 'Denominator'}: ${pick(b.denominator, locale)}`);
  if (b.asOf) out.push(`${locale === 'zh-CN' ? '数据截至' : 'As of'}: ${b.asOf}`);
  if (b.filters.length) out.push(`${locale === 'zh-CN' ? '筛选' : 'Filters'}: ${filtersText(b.filters, locale)}`);
  const opts = optionsText(b.options, locale);
  if (opts) out.push(`${locale === 'zh-CN' ? '参数' : 'Options'}: ${opts}`);
  for (const e of b.exclusions) out.push(`${locale === 'zh-CN' ? '排除' : 'Excluded'}: ${pick(e, locale)}`);
  return out;
}

/** Trigger a download of text or a blob (an anchor with a blob: URL; nothing leaves the page). */
export function download(filename: string, content: Blob | string, type = 'text/csv;charset=utf-8'): void {
  const blob = typeof content === 'string' ? new Blob([content], { type }) : content;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * CSV text of a table model with the basis as header comments; with a watermark, its line
 * (`# 水印: …`) comes first.
 */
export function csvOf(model: TableModel, r: MetricResult, locale: Locale, watermark: string | null = null): string {
  return toCsv(
    model.columns.map((c) => c.label),
    model.rows.map((row) => row.map((c) => (typeof c === 'object' && c !== null && 'raw' in c ? c.raw : c))),
    [...watermarkCsvLine(watermark, locale), ...basisLines(r, locale)],
  );
}

/** A cell of the data-table view: display text plus the raw value exported to CSV. */
export type TableCell = string | number | null | { text: string; raw: string | number | null };

export interface TableModel {
  columns: Array<{ key: string; label: string; numeric?: boolean }>;
  rows: TableCell[][];
}

/** Serialise an SVG element (text-only DOM, no scripts), with the watermark drawn over it when one is given. */
export function svgText(svg: SVGSVGElement, watermark: ExportWatermark | null = null): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  if (watermark) addWatermarkToSvg(clone, watermark.text, watermark.dark);
  return xmlSafe(new XMLSerializer().serializeToString(clone));
}

/** Replace the characters XML 1.0 forbids (C0 controls but tab, LF, CR) so an export always parses. */
export function xmlSafe(s: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffe || c === 0xffff) {
      out += s.slice(last, i) + '\uFFFD';
      last = i + 1;
    }
  }
  return last ? out + s.slice(last) : s;
}

/** Rasterise an SVG element to a PNG blob via a canvas. */
export async function svgToPng(svg: SVGSVGElement, scale = 2, watermark: ExportWatermark | null = null): Promise<Blob> {
  const text = svgText(svg, watermark);
  const { width, height } = svg.getBoundingClientRect();
  const img = new Image();
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('SVG could not be rasterised'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const g = canvas.getContext('2d')!;
    g.scale(scale, scale);
    g.drawImage(img, 0, 0, width, height);
    return await new Promise((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Colours and font of a table image (taken from the element's computed style). */
export interface TableImageStyle {
  font: string;
  color: string;
  muted: string;
  background: string;
  stripe: string;
  rule: string;
  /** Drawn over the table. */
  watermark?: ExportWatermark | null;
}

/** Text of a table cell. */
function cellString(c: TableCell): string {
  if (c === null) return '—';
  if (typeof c === 'object') return c.text;
  return String(c);
}

/**
 * The data table as a PNG (canvas text drawing, nothing parsed): what "PNG" exports when an element
 * shows a table rather than a chart (table view, alerts list, matrix), so the button always gives
 * the picture of what is on screen. At most `maxRows` rows, then a "…" line.
 */
export async function tableToPng(
  model: TableModel,
  title: string,
  style: TableImageStyle,
  scale = 2,
  maxRows = 200,
): Promise<Blob> {
  const rows = model.rows.slice(0, maxRows).map((r) => r.map(cellString));
  const header = model.columns.map((c) => c.label);
  const probe = document.createElement('canvas').getContext('2d')!;
  probe.font = style.font;
  const pad = 8;
  const lineH = 22;
  const widths = header.map((h, j) =>
    Math.ceil(Math.max(probe.measureText(h).width, ...rows.map((r) => probe.measureText(r[j] ?? '').width)) + 2 * pad),
  );
  const width = Math.max(widths.reduce((a, b) => a + b, 0), Math.ceil(probe.measureText(title).width) + 2 * pad);
  const more = model.rows.length > rows.length;
  const height = lineH * (2 + rows.length + (more ? 1 : 0)) + pad;
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const g = canvas.getContext('2d')!;
  g.scale(scale, scale);
  g.fillStyle = style.background;
  g.fillRect(0, 0, width, height);
  g.font = style.font;
  g.textBaseline = 'middle';
  g.fillStyle = style.color;
  g.fillText(title, pad, lineH / 2 + 2);
  const drawRow = (cells: string[], y: number, color: string): void => {
    let x = 0;
    cells.forEach((text, j) => {
      g.fillStyle = color;
      if (model.columns[j]?.numeric) {
        g.textAlign = 'right';
        g.fillText(text, x + widths[j]! - pad, y + lineH / 2);
      } else {
        g.textAlign = 'left';
        g.fillText(text, x + pad, y + lineH / 2);
      }
      x += widths[j]!;
    });
  };
  drawRow(header, lineH, style.muted);
  g.fillStyle = style.rule;
  g.fillRect(0, 2 * lineH - 1, width, 1);
  rows.forEach((r, i) => {
    const y = lineH * (2 + i);
    if (i % 2 === 1) {
      g.fillStyle = style.stripe;
      g.fillRect(0, y, width, lineH);
    }
    drawRow(r, y, style.color);
  });
  if (more) {
    g.textAlign = 'left';
    g.fillStyle = style.muted;
    g.fillText(`… ${model.rows.length - rows.length}`, pad, lineH * (2 + rows.length) + lineH / 2);
  }
  if (style.watermark) drawWatermark(g, style.watermark.text, width, height, style.watermark.dark);
  return await new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
  );
}

/** A canvas drawn at `scale` (e.g. Vega's `toCanvas(2)`) as a PNG blob, with the watermark drawn over it. */
export async function canvasToPng(canvas: HTMLCanvasElement, scale: number, watermark: ExportWatermark | null = null): Promise<Blob> {
  if (watermark?.text) {
    const g = canvas.getContext('2d')!;
    g.save();
    g.setTransform(scale, 0, 0, scale, 0, 0);
    drawWatermark(g, watermark.text, canvas.width / scale, canvas.height / scale, watermark.dark);
    g.restore();
  }
  return await new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
  );
}
