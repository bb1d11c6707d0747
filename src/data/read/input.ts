/** Any synchronous input → raw columns: sniff the format, hand it to its reader. */
import { readArrow } from './arrow.js';
import { readArquero } from './arquero.js';
import { isArqueroTable } from '../arquero.js';
import { readArray } from './arrays.js';
import { readColumnar } from './columnar.js';
import { readJSONText } from './json.js';
import { parseCSV } from './csv.js';
import { FinError } from '../../engine/errors.js';
import type { IngestInput, IngestOptions } from '../ingest-types.js';
import type { CsvTypes, RawTable } from '../raw.js';

/** Read any synchronous input into raw columns. */
export function readInput(input: IngestInput, opts: IngestOptions = {}, types?: CsvTypes): RawTable {
  if (typeof input === 'string') {
    const fmt = opts.format ?? sniffText(input);
    if (fmt === 'arrow') throw new FinError('bad_input', 'Arrow data must be given as bytes, not text');
    return fmt === 'json' ? readJSONText(input, opts) : parseCSV(input, opts, types);
  }
  if (input instanceof ArrayBuffer || input instanceof Uint8Array) {
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
    const fmt = opts.format ?? sniffBytes(bytes);
    if (fmt === 'arrow') return readArrow(bytes);
    const text = new TextDecoder('utf-8').decode(bytes);
    return fmt === 'json' ? readJSONText(text, opts) : parseCSV(text, opts, types);
  }
  if (Array.isArray(input)) return readArray(input as readonly unknown[], opts);
  if (isArqueroTable(input)) return readArquero(input);
  if (input !== null && typeof input === 'object') return readColumnar(input as Record<string, unknown>);
  throw new FinError('bad_input', `Unsupported input type: ${input === null ? 'null' : typeof input}`);
}

function sniffText(s: string): 'csv' | 'json' {
  for (let i = 0; i < s.length && i < 1000; i++) {
    const c = s.charCodeAt(i);
    if (c === 0xfeff || c === 32 || c === 9 || c === 10 || c === 13) continue;
    return c === 91 || c === 123 ? 'json' : 'csv'; // [ {
  }
  return 'csv';
}

function sniffBytes(b: Uint8Array): 'csv' | 'json' | 'arrow' {
  // Arrow file magic "ARROW1", or an IPC stream starting with the 0xFFFFFFFF continuation marker.
  if (
    b.length >= 6 &&
    b[0] === 0x41 &&
    b[1] === 0x52 &&
    b[2] === 0x52 &&
    b[3] === 0x4f &&
    b[4] === 0x57 &&
    b[5] === 0x31
  ) {
    return 'arrow';
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xff && b[2] === 0xff && b[3] === 0xff) return 'arrow';
  const head = new TextDecoder('utf-8').decode(b.subarray(0, 64));
  return sniffText(head);
}
