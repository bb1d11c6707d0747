/** Request plumbing of the handler: bounded body reading, load options, refusals. */
import type { IncomingMessage } from 'node:http';
import { FinError } from '../engine/errors.js';
import type { FinErrorCode } from '../engine/errors.js';
import type { LoadOptions } from '../engine/engine-types.js';
import type { Scope } from './policy.js';

/** A refusal carrying the operator-facing reason (audit only; clients get the code's message). */
export function deny(code: FinErrorCode, reason: string, details: Record<string, unknown> = {}): FinError {
  return new FinError(code, reason, { ...details, reason });
}

/** Load options a client may set; `unmask` only with the unmask permission. */
export function sanitiseLoadOptions(v: unknown, scope: Scope): LoadOptions {
  const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  const out: LoadOptions = {};
  if (o['fields'] && typeof o['fields'] === 'object') out.fields = o['fields'] as Record<string, string>;
  if (typeof o['timeZone'] === 'string') out.timeZone = o['timeZone'];
  if (Array.isArray(o['columns'])) out.columns = o['columns'] as string[];
  if (typeof o['header'] === 'boolean') out.header = o['header'];
  if (o['format'] === 'csv' || o['format'] === 'json' || o['format'] === 'arrow') out.format = o['format'];
  if (typeof o['delimiter'] === 'string') out.delimiter = o['delimiter'];
  if (o['unmask'] === true) {
    if (!scope.unmask) throw deny('forbidden', 'unmask without the unmask permission');
    out.unmask = true;
  }
  return out;
}

/** Read a body of at most `max` bytes; more is `too_large` (the rest is not read). */
export function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.resume();
        reject(deny('too_large', `body over ${max} bytes`, { limit: max }));
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => reject(new FinError('aborted', 'request aborted')));
  });
}

/** Anything a backend throws that is not a FinError: its engine is unreachable or failed. */
export function wrapBackendError(e: unknown): FinError {
  return new FinError('backend_unavailable', e instanceof Error ? e.message : String(e));
}
