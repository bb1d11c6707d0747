/**
 * How a long computation (the cross-filter cube build, local.ts) lets queries in between its
 * slices.
 */

/**
 * Let queued messages (queries) run, then continue. `setTimeout(0)` chains are clamped to 4 ms per
 * hop after five nestings in browsers and workers (a fifth of every 20 ms slice); a MessageChannel
 * hop is not, and Node's `setImmediate` runs right after pending I/O.
 */
let yieldChannel: { post: () => void; waiting: Array<() => void> } | null = null;
export function yieldToQueries(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((r) => setImmediate(r));
  if (typeof MessageChannel !== 'function') return new Promise((r) => setTimeout(r, 0));
  if (!yieldChannel) {
    const ch = new MessageChannel();
    const waiting: Array<() => void> = [];
    ch.port1.onmessage = () => waiting.shift()?.();
    yieldChannel = { post: () => ch.port2.postMessage(null), waiting };
  }
  const yc = yieldChannel;
  return new Promise((r) => {
    yc.waiting.push(r);
    yc.post();
  });
}
