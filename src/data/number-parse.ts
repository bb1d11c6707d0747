/**
 * Strict parsing of numeric text, shared by every ingestion path (row objects, arrays, columnar
 * input, JSON, CSV, strings inside Arrow columns).
 *
 * JavaScript's `Number()` accepts far more than a number written by a person or a spreadsheet:
 * `0x1F` (31), `0o17`, `0b11`, `Infinity`, and it reads `''` and whitespace as 0. Bank exports never
 * write those, and a value such as `0x1F` in an amount column is corrupt data, not 31 yuan. This
 * module accepts exactly:
 *
 * - an optional sign, decimal digits with an optional fraction (`12`, `12.`, `.5`, `-0.25`) and an
 *   optional decimal exponent (`1e6`, `2.5E-3`); leading/trailing whitespace is trimmed;
 * - the same with `,` thousands separators in their proper places (`1,234,567.89`);
 *
 * and the result must be finite (`1e309` overflows to Infinity and is rejected). Everything else
 * — hex/octal/binary literals, `Infinity`/`NaN` spelled out, numeric separators (`1_000`), trailing
 * garbage (`12abc`, `12 元`), a decimal comma (`1,5`), full-width digits — is NaN, which ingestion
 * reports as `unparseable_number` (or as missing when the text is a null token).
 */

/** Decimal notation: sign, digits with optional fraction, optional exponent. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Decimal notation with `,` thousands separators in their proper places. */
const THOUSANDS = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:[eE][+-]?\d+)?$/;

/**
 * Parse numeric text strictly (see the module comment). Returns NaN when the text is not a finite
 * number in decimal notation; -0 becomes 0.
 */
export function parseNumberString(s: string): number {
  const t = s.trim();
  if (t.length === 0) return NaN;
  let x: number;
  if (DECIMAL.test(t)) x = Number(t);
  else if (THOUSANDS.test(t)) x = Number(t.replace(/,/g, ''));
  else return NaN;
  return Number.isFinite(x) ? x + 0 : NaN;
}

/** Whether `s` is numeric text in a notation `Number()` accepts but Finboard refuses (`0x1F`, `Infinity`, `0b11`). */
export function isLenientOnlyNumber(s: string): boolean {
  const t = s.trim();
  return t.length > 0 && Number.isFinite(Number(t)) !== Number.isFinite(parseNumberString(t));
}
