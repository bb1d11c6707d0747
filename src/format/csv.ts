/**
 * CSV export that spreadsheet programs cannot turn into formulas: any cell starting with
 * `= + - @`, tab or carriage return is prefixed with a single quote (OWASP CSV injection advice),
 * and the metric basis travels along as leading `#` comment lines.
 */

const DANGEROUS = /^[=+\-@\t\r]/;

/** Neutralise one cell value for CSV. Numbers are written plainly (a negative number is data, not a formula). */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (DANGEROUS.test(s)) s = `'${s}`;
  if (/[",\n\r]/.test(s)) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

/** Build CSV text: `#` comment lines (basis), a header row, then rows. CRLF line ends, UTF-8 BOM for Excel. */
export function toCsv(header: string[], rows: unknown[][], comments: string[] = []): string {
  const lines: string[] = [];
  for (const c of comments) lines.push(csvCell(`# ${c.replace(/[\r\n]+/g, ' ')}`));
  lines.push(header.map(csvCell).join(','));
  for (const r of rows) lines.push(r.map(csvCell).join(','));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
