/** Reader for JSON text: rows, arrays with a header, or columns (optionally under a wrapper key). */
import { FinError } from '../../engine/errors.js';
import type { IngestOptions } from '../ingest-types.js';
import type { RawTable } from '../raw.js';
import { readArray, readArrays } from './arrays.js';
import { readColumnar } from './columnar.js';

/**
 * Wrap integer literals that a JavaScript number cannot hold exactly (beyond 2^53) in quotes, so
 * an unquoted 18-digit ID survives `JSON.parse` digit for digit. String contents are skipped.
 */
export function quoteUnsafeIntegers(text: string): string {
  if (!/\d{16}/.test(text)) return text;
  let out = '';
  let last = 0;
  let i = 0;
  const len = text.length;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // string: jump to the closing quote, honouring escapes
      i++;
      while (i < len) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          i = len;
          break;
        }
        let bs = 0;
        for (let k = q - 1; k >= i && text.charCodeAt(k) === 92; k--) bs++;
        i = q + 1;
        if (bs % 2 === 0) break;
      }
      continue;
    }
    if ((c >= 48 && c <= 57) || c === 45) {
      let j = i + 1;
      while (j < len) {
        const d = text.charCodeAt(j);
        if ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) j++;
        else break;
      }
      const tok = text.slice(i, j);
      if (/^-?\d{16,}$/.test(tok) && !Number.isSafeInteger(Number(tok))) {
        out += text.slice(last, i) + '"' + tok + '"';
        last = j;
      }
      i = j;
      continue;
    }
    i++;
  }
  return last === 0 ? text : out + text.slice(last);
}

export function readJSONText(text: string, opts: IngestOptions): RawTable {
  let v: unknown;
  try {
    v = JSON.parse(quoteUnsafeIntegers(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text));
  } catch (e) {
    throw new FinError('bad_input', `Invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (Array.isArray(v)) return readArray(v, opts);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const cols = Object.hasOwn(o, 'columns') ? o.columns : undefined;
    if (Array.isArray(cols)) {
      const body = ['rows', 'data', 'values']
        .map((k) => (Object.hasOwn(o, k) ? o[k] : undefined))
        .find(Array.isArray);
      if (body) return readArrays(body as unknown[], { ...opts, columns: cols.map(String), header: false });
    } else if (cols !== null && typeof cols === 'object')
      return readColumnar(cols as Record<string, unknown>);
    for (const k of ['rows', 'data', 'records']) {
      if (Object.hasOwn(o, k) && Array.isArray(o[k])) return readArray(o[k] as unknown[], opts);
    }
    return readColumnar(o);
  }
  throw new FinError('bad_input', 'JSON input must be an array of rows or an object of columns');
}
