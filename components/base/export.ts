import type { MetricResult } from '../../src/engine/types.js';
import { toCsv } from '../../src/format/csv.js';
import { pick } from '../../src/format/messages.js';
import { filtersText, optionsText } from '../../src/format/basis.js';
import type { Locale } from '../../src/format/number.js';

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

/** CSV text of a table model with the basis as header comments. */
export function csvOf(model: TableModel, r: MetricResult, locale: Locale): string {
  return toCsv(
    model.columns.map((c) => c.label),
    model.rows.map((row) => row.map((c) => (typeof c === 'object' && c !== null && 'raw' in c ? c.raw : c))),
    basisLines(r, locale),
  );
}

/** A cell of the data-table view: display text plus the raw value exported to CSV. */
export type TableCell = string | number | null | { text: string; raw: string | number | null };

export interface TableModel {
  columns: Array<{ key: string; label: string; numeric?: boolean }>;
  rows: TableCell[][];
}

/** Serialise an SVG element (text-only DOM, no scripts) with its computed colours inlined. */
export function svgText(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
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
export async function svgToPng(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const text = svgText(svg);
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
