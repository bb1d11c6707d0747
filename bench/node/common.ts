/** Shared by the bench:warehouse processes (warehouse.ts, viewers.ts): arguments, data, helpers. */
import http from 'node:http';
import { createGunzip, gunzipSync } from 'node:zlib';
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

/** An error reply's code (its body read whole, gunzipped when it came so), or `unreadable`. */
function errorCodeOf(res: http.IncomingMessage, done: (code: string | undefined) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (d: Buffer) => chunks.push(d));
  res.on('end', () => {
    try {
      let raw = Buffer.concat(chunks);
      if (res.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
      done((JSON.parse(raw.toString('utf8') || '{}') as { error?: { code?: string } }).error?.code);
    } catch {
      done('unreadable');
    }
  });
}

/** A POST of a JSON body with the caller's bearer token over `agent`. */
function postTo(
  url: string,
  agent: http.Agent,
  token: string,
  body: string,
  extra: Record<string, string>,
  onResponse: (res: http.IncomingMessage) => void,
): http.ClientRequest {
  return http.request(
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
    onResponse,
  );
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
      const req = postTo(url, agent, token, body, extra, (res) => {
        if (res.statusCode === 200) {
          res.resume(); // the answer's bytes are not needed, only its arrival
          res.on('end', () => resolve({ status: 200, ms: now() - t0 }));
          return;
        }
        errorCodeOf(res, (code) =>
          resolve({ status: res.statusCode ?? 0, ms: now() - t0, ...(code ? { code } : {}) }),
        );
      });
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

/**
 * A batch caller (what the remote engine sends for a dashboard's widgets): one POST with every
 * call, the NDJSON lines read as they arrive (gunzipped as a stream); each call's result carries
 * the time its own line arrived. A whole-request failure gives every call that status and code.
 */
export function batchPoster(url: string, agent: http.Agent, extra: Record<string, string> = {}) {
  const send = (token: string, calls: object[], retry: boolean): Promise<Posted[]> =>
    new Promise((resolve) => {
      const body = JSON.stringify({ id: 1, calls });
      const t0 = now();
      const out: Posted[] = [];
      const all = (p: Omit<Posted, 'ms'>): void => resolve(calls.map(() => ({ ...p, ms: now() - t0 })));
      const req = postTo(url, agent, token, body, extra, (res) => {
        if (res.statusCode !== 200 || !String(res.headers['content-type']).includes('ndjson')) {
          errorCodeOf(res, (code) => all({ status: res.statusCode ?? 0, ...(code ? { code } : {}) }));
          return;
        }
        // Lines are split on the bytes and only their head is read (`{"i":3,"ok":true`): the
        // simulated browsers share one core, so answers are not decoded (an error line is).
        const text = res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res;
        let buf: Buffer = Buffer.alloc(0);
        text.on('data', (d: Buffer) => {
          buf = buf.length ? Buffer.concat([buf, d]) : d;
          let start = 0;
          for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
            const head = /^\{"i":(\d+),"ok":(true|false)/.exec(
              buf.toString('latin1', start, Math.min(nl, start + 40)),
            );
            if (head) {
              const i = Number(head[1]);
              const code =
                head[2] === 'false'
                  ? (JSON.parse(buf.toString('utf8', start, nl)) as { error?: { code?: string } }).error?.code
                  : undefined;
              out[i] = { status: head[2] === 'true' ? 200 : 0, ms: now() - t0, ...(code ? { code } : {}) };
            }
            start = nl + 1;
          }
          buf = buf.subarray(start);
        });
        text.on('end', () =>
          resolve(calls.map((_, i) => out[i] ?? { status: 0, ms: now() - t0, code: 'missing' })),
        );
        text.on('error', (e: Error) => all({ status: 0, code: e.message }));
      });
      req.on('error', (e) => {
        if (req.reusedSocket && retry) {
          void send(token, calls, false).then(resolve);
          return;
        }
        all({ status: 0, code: e.message });
      });
      req.end(body);
    });
  return (token: string, calls: object[]): Promise<Posted[]> => send(token, calls, true);
}
