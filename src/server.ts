/**
 * `finboard/server`: serve the engine protocol from Node next to the data, with Node's own http
 * module. The browser side is `createEngine({ placement: 'remote', url })`.
 *
 * @example
 * import http from 'node:http';
 * import { createHandler } from 'finboard/server';
 * http.createServer(createHandler()).listen(8787);
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dispatch } from './engine/dispatch.js';
import { FinError } from './engine/errors.js';
import { LocalEngine, wrap } from './engine/local.js';
import type { CallEnvelope, ReplyEnvelope } from './engine/protocol.js';

export interface HandlerOptions {
  /** The engine to serve (default: a new in-process engine). */
  engine?: LocalEngine;
  /** Largest accepted request body in bytes (default 64 MB). */
  maxBody?: number;
  /** Allowed CORS origin (default none: same origin only). */
  cors?: string;
  /** Operations clients may call (default all; e.g. ['query', 'datasets'] for read-only). */
  allow?: CallEnvelope['call']['op'][];
}

export function createHandler(opts: HandlerOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const engine = opts.engine ?? new LocalEngine();
  const maxBody = opts.maxBody ?? 64 * 1024 * 1024;
  const allow = new Set(opts.allow ?? ['load', 'loadSample', 'query', 'datasets', 'unload']);
  return (req, res) => {
    const reply = (status: number, body: ReplyEnvelope): void => {
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
      if (opts.cors) headers['access-control-allow-origin'] = opts.cors;
      res.writeHead(status, headers);
      res.end(JSON.stringify(body));
    };
    if (req.method === 'OPTIONS' && opts.cors) {
      res.writeHead(204, {
        'access-control-allow-origin': opts.cors,
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type',
      });
      res.end();
      return;
    }
    if (req.method !== 'POST') {
      reply(405, { id: 0, ok: false, error: new FinError('bad_params', 'Use POST with a JSON body').toJSON() });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBody) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      let env: CallEnvelope;
      try {
        env = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CallEnvelope;
        if (!env || typeof env !== 'object' || !env.call || typeof env.call.op !== 'string') throw new Error('shape');
      } catch {
        reply(400, { id: 0, ok: false, error: new FinError('bad_params', 'Body must be {"id", "call": {"op", …}}').toJSON() });
        return;
      }
      if (!allow.has(env.call.op)) {
        reply(403, { id: env.id, ok: false, error: new FinError('bad_params', `Operation "${env.call.op}" is not allowed`).toJSON() });
        return;
      }
      dispatch(engine, env.call).then(
        (value) => reply(200, { id: env.id, ok: true, value }),
        (e: unknown) => reply(200, { id: env.id, ok: false, error: wrap(e).toJSON() }),
      );
    });
  };
}
