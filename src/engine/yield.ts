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

/**
 * After a caller's query, a build waits until no query has run for this long before its next
 * slice: the queries of one interaction (a click re-queries every widget) run back to back, not
 * each behind a slice (a kernel call over a set's cells can take a hundred ms).
 */
export const QUERY_QUIET_MS = 10;

/** Let queued queries run, then wait while a caller's queries keep coming (QUERY_QUIET_MS). */
export async function yieldToInteraction(lastQueryAt: () => number): Promise<void> {
  await yieldToQueries();
  for (let guard = 0; guard < 500; guard++) {
    const quietFor = Date.now() - lastQueryAt();
    // (a clock set back reads as quiet: never a long wait)
    if (quietFor >= QUERY_QUIET_MS || quietFor < 0) return;
    await new Promise((r) => setTimeout(r, QUERY_QUIET_MS - quietFor));
  }
}
