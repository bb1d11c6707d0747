/**
 * A bound on work running at once: `acquire()` resolves with a release function when one of the
 * `max` slots is free, in the order callers asked. A caller whose signal aborts while it waits
 * leaves the line with the typed `aborted` error and never takes a slot.
 */
import { FinError } from '../engine/errors.js';

export interface QuerySlots {
  /** Wait for a slot; the returned function frees it (calling it again does nothing). */
  acquire(signal?: AbortSignal): Promise<() => void>;
  /** Slots in use. */
  readonly running: number;
  /** Callers waiting for a slot. */
  readonly waiting: number;
}

export function querySlots(max: number): QuerySlots {
  const limit = Number.isFinite(max) && max >= 1 ? Math.floor(max) : 1;
  let running = 0;
  const line: Array<() => void> = [];
  const releaser = (): (() => void) => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = line.shift();
      if (next)
        next(); // the slot passes to the next caller in line
      else running--;
    };
  };
  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(new FinError('aborted', 'The query was cancelled'));
      if (running < limit) {
        running++;
        return Promise.resolve(releaser());
      }
      return new Promise((resolve, reject) => {
        const take = (): void => {
          signal?.removeEventListener('abort', leave);
          resolve(releaser());
        };
        const leave = (): void => {
          const i = line.indexOf(take);
          if (i >= 0) line.splice(i, 1);
          reject(new FinError('aborted', 'The query was cancelled'));
        };
        line.push(take);
        signal?.addEventListener('abort', leave, { once: true });
      });
    },
    get running() {
      return running;
    },
    get waiting() {
      return line.length;
    },
  };
}
