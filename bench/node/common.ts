/** Shared by the bench:warehouse processes (warehouse.ts, viewers.ts): arguments, data, helpers. */
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { now } from '../lib/stats.js';
import type { Backend } from '../../src/server/backend.js';
import type { FilterClause } from '../../src/engine/types.js';

export const args = new Map<string, string>();
const argv = process.argv.slice(2);
export const mode = argv[0] ?? 'dashboard';
for (let i = 1; i < argv.length; i += 2) args.set(argv[i]!.replace(/^--/, ''), argv[i + 1] ?? '');
export const DATA = args.get('data') ?? '';
export const TAG = args.get('tag') ?? '';
export const DATASETS = ['customers', 'loans', 'loan_months', 'collection_actions'];
export const info = (s: string): void => console.log(`INFO ${s}`);
/** Peak RSS of this process so far, MiB. */
export const rssMiB = (): number => process.resourceUsage().maxRSS / 1024;
export const load1 = (): string => loadavg()[0]!.toFixed(1);

/** Attach the datasets; `kept` when a database file already held every one of them unchanged. */
export async function attachAll(b: Backend, ext: string): Promise<{ ms: number; kept: boolean }> {
  const t0 = now();
  let kept = true;
  for (const name of DATASETS) {
    const t = now();
    const r = await b.attach(name, { path: join(DATA, `${name}.${ext}`) });
    // The DuckDB backend says whether it typed the file in SQL or fell back to JavaScript.
    const by = (
      b as { attachedBy?: Map<string, { by: string; reason?: string; kept?: boolean }> }
    ).attachedBy?.get(name);
    kept &&= by?.kept === true;
    info(
      `${TAG}: ${by?.kept ? 'kept' : 'attached'} ${name} ${r.rowsKept} rows in ${((now() - t) / 1000).toFixed(1)} s` +
        (by ? ` (by ${by.by}${by.reason ? `: ${by.reason}` : ''})` : '') +
        `; load ${load1()}`,
    );
  }
  return { ms: now() - t0, kept };
}

/** Cross-filter states, never repeated. */
export function clickStates(): FilterClause[][] {
  const regions = ['华东', '华南', '华北', '西南', '华中', '西北', '东北'];
  const products = ['消费贷', '经营贷', '信用卡分期', '房贷'];
  const s: FilterClause[][] = [];
  for (const r of regions) s.push([{ field: 'region', op: 'in', value: [r] }]);
  for (const p of products) s.push([{ field: 'product', op: 'in', value: [p] }]);
  return s;
}

export interface Posted {
  status: number;
  ms: number;
  code?: string;
}

/**
 * A JSON-protocol caller over one keep-alive agent; resolves with status, latency, error code.
 * Answers of 200 are read to their last byte, not decoded.
 */
export function poster(url: string, agent: http.Agent, extra: Record<string, string> = {}) {
  const send = (token: string, call: object, retry: boolean): Promise<Posted> =>
    new Promise((resolve) => {
      const body = JSON.stringify({ id: 1, call });
      const t0 = now();
      const req = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'content-length': Buffer.byteLength(body),
            ...extra,
          },
        },
        (res) => {
          if (res.statusCode === 200) {
            res.resume(); // the answer's bytes are not needed, only its arrival
            res.on('end', () => resolve({ status: 200, ms: now() - t0 }));
            return;
          }
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => {
            let code: string | undefined;
            try {
              let raw = Buffer.concat(chunks);
              if (res.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
              const text = raw.toString('utf8');
              code = (JSON.parse(text || '{}') as { error?: { code?: string } }).error?.code;
            } catch {
              code = 'unreadable';
            }
            resolve({ status: res.statusCode ?? 0, ms: now() - t0, ...(code ? { code } : {}) });
          });
        },
      );
      req.on('error', (e) => {
        // A kept-alive connection the server closed while idle: browsers send the request again
        // on a new connection (Node's agent does not), so the simulated client does the same, once.
        if (req.reusedSocket && retry) {
          void send(token, call, false).then((r) => resolve({ ...r, ms: now() - t0 }));
          return;
        }
        resolve({ status: 0, ms: now() - t0, code: e.message });
      });
      req.end(body);
    });
  return (token: string, call: object): Promise<Posted> => send(token, call, true);
}
