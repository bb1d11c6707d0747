/** URL inputs: recognising one, fetching it, and reading the body by its content type or extension. */
import { FinError } from '../../engine/errors.js';
import type { IngestOptions, UrlInput } from '../ingest-types.js';
import type { CsvTypes, RawTable } from '../raw.js';
import { readInput } from './input.js';

/** The URL of a URL input, or null. */
export function urlOf(input: unknown): string | null {
  if (typeof input === 'string') return isUrlString(input) ? input.trim() : null;
  if (
    input !== null &&
    typeof input === 'object' &&
    !Array.isArray(input) &&
    Object.hasOwn(input, 'url') &&
    typeof (input as UrlInput).url === 'string' &&
    !Array.isArray((input as Record<string, unknown>).url)
  ) {
    // `{ url }` — but not a columnar object that happens to have a `url` column (arrays).
    return (input as UrlInput).url;
  }
  return null;
}

function isUrlString(s: string): boolean {
  if (s.length > 4096 || /[\r\n]/.test(s)) return false;
  const t = s.trim();
  return (
    /^https?:\/\//i.test(t) ||
    /^(blob|data):/i.test(t) ||
    (t.startsWith('/') && !t.includes(',')) ||
    t.startsWith('./') ||
    t.startsWith('../') ||
    /^[^,;\t]*\.(csv|tsv|json|arrow|feather|ipc)([?#].*)?$/i.test(t)
  );
}

export async function fetchRaw(url: string, opts: IngestOptions, types?: CsvTypes): Promise<RawTable> {
  const f = opts.fetch ?? (globalThis.fetch as typeof globalThis.fetch | undefined);
  if (typeof f !== 'function')
    throw new FinError('fetch_failed', `Cannot fetch ${url}: fetch() is not available`, { url });
  let res: Response;
  try {
    res = await f(url, { ...opts.fetchInit, ...(opts.signal ? { signal: opts.signal } : {}) });
  } catch (e) {
    if (opts.signal?.aborted) throw new FinError('aborted', `Fetching ${url} was aborted`, { url });
    throw new FinError(
      'fetch_failed',
      `Could not fetch ${url}: ${e instanceof Error ? e.message : String(e)}`,
      { url },
    );
  }
  if (!res.ok) {
    throw new FinError(
      'fetch_failed',
      `Fetching ${url} failed: HTTP ${res.status} ${res.statusText}`.trim(),
      {
        url,
        status: res.status,
      },
    );
  }
  const ct = (res.headers.get('content-type') ?? '').toLowerCase();
  const path = url.replace(/[?#].*$/, '').toLowerCase();
  let fmt: 'csv' | 'json' | 'arrow' | undefined = opts.format;
  if (!fmt) {
    if (/arrow/.test(ct)) fmt = 'arrow';
    else if (/json/.test(ct)) fmt = 'json';
    else if (/csv|tab-separated/.test(ct)) fmt = 'csv';
    else if (/\.(arrow|arrows|feather|ipc)$/.test(path)) fmt = 'arrow';
    else if (/\.json$/.test(path)) fmt = 'json';
    else if (/\.(csv|tsv|txt)$/.test(path)) fmt = 'csv';
  }
  try {
    if (fmt === 'csv' || fmt === 'json') return readInput(await res.text(), { ...opts, format: fmt }, types);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return readInput(bytes, fmt ? { ...opts, format: fmt } : opts, types);
  } catch (e) {
    if (e instanceof FinError) throw e;
    throw new FinError(
      'fetch_failed',
      `Could not read ${url}: ${e instanceof Error ? e.message : String(e)}`,
      { url },
    );
  }
}
