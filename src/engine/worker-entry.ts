/**
 * The engine worker script (`finboard/worker`). Data is loaded inside the worker (from a URL,
 * transferred bytes or the seeded sample); only JSON results cross back to the page.
 */
import { dispatch } from './dispatch.js';
import { wrap, LocalEngine } from './local.js';
import type { CallEnvelope, ReplyEnvelope } from './protocol.js';

interface WorkerScope {
  onmessage: ((ev: MessageEvent<CallEnvelope>) => void) | null;
  postMessage(msg: ReplyEnvelope): void;
}

const scope = globalThis as unknown as WorkerScope;
const engine = new LocalEngine();

scope.onmessage = (ev) => {
  const { id, call } = ev.data;
  dispatch(engine, call).then(
    (value) => scope.postMessage({ id, ok: true, value }),
    (e: unknown) => scope.postMessage({ id, ok: false, error: wrap(e).toJSON() }),
  );
};
