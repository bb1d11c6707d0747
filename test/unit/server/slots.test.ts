/**
 * The bound on queries running at once (slots.ts) and the DuckDB backend's use of it: callers
 * take slots in the order they asked, an abort while waiting leaves the line with `aborted`, and
 * a backend allowed one query at a time answers a dashboard's burst exactly as an unbounded one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryRequest } from '../../../src/engine/types.js';
import { duckdbBackend } from '../../../src/server/duckdb.js';
import { querySlots } from '../../../src/server/slots.js';
import { loadSample } from './helpers.js';

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('querySlots', () => {
  it('lets at most max callers run, the rest in the order they asked', async () => {
    const slots = querySlots(2);
    const order: number[] = [];
    const releases: Array<() => void> = [];
    const all = [0, 1, 2, 3, 4].map((i) =>
      slots.acquire().then((release) => {
        order.push(i);
        releases.push(release);
      }),
    );
    await tick();
    expect([slots.running, slots.waiting]).toEqual([2, 3]);
    expect(order).toEqual([0, 1]);
    releases[1]!();
    releases[1]!(); // a second release frees nothing more
    await tick();
    expect(order).toEqual([0, 1, 2]);
    expect([slots.running, slots.waiting]).toEqual([2, 2]);
    releases[0]!();
    releases[2]!();
    await tick();
    releases[3]!();
    await Promise.all(all);
    releases[4]!();
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect([slots.running, slots.waiting]).toEqual([0, 0]);
  });

  it('an abort while waiting rejects with aborted and never takes a slot', async () => {
    const slots = querySlots(1);
    const first = await slots.acquire();
    const ctl = new AbortController();
    const waiting = slots.acquire(ctl.signal);
    const after = slots.acquire();
    expect(slots.waiting).toBe(2);
    ctl.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'aborted' });
    expect(slots.waiting).toBe(1);
    first();
    const next = await after; // the slot went past the aborted caller
    expect([slots.running, slots.waiting]).toEqual([1, 0]);
    next();
    expect(slots.running).toBe(0);
    await expect(slots.acquire(AbortSignal.abort())).rejects.toMatchObject({ code: 'aborted' });
    expect(slots.running).toBe(0);
  });
});

describe('duckdbBackend({ maxConcurrentQueries })', () => {
  const REQS: QueryRequest[] = [
    { metric: 'overdue_rate', params: { by: 'region' } },
    { metric: 'bucket_trend' },
    { metric: 'roll_rate' },
    { metric: 'vintage' },
    { metric: 'collector_performance' },
    { metric: 'flow_rate' },
  ];
  type Duck = Awaited<ReturnType<typeof duckdbBackend>>;
  let one: Duck;
  let free: Duck;
  beforeAll(async () => {
    one = await duckdbBackend({ maxConcurrentQueries: 1, keepPrepared: false });
    free = await duckdbBackend({ maxConcurrentQueries: 64, keepPrepared: false });
    await loadSample(one);
    await loadSample(free);
  }, 120_000);
  afterAll(async () => {
    await one.close();
    await free.close();
  });

  it('answers a burst one query at a time exactly as all at once, and a waiting query can be aborted', async () => {
    const ctl = new AbortController();
    const burst = REQS.map((r, i) => one.query(r, i === 3 ? { signal: ctl.signal } : {}));
    expect(one.queries).toEqual({ running: 1, waiting: REQS.length - 1 });
    ctl.abort(); // the fourth is still waiting for its turn
    expect(one.queries).toEqual({ running: 1, waiting: REQS.length - 2 });
    const got = await Promise.allSettled(burst);
    const want = await Promise.all(REQS.map((r) => free.query(r)));
    got.forEach((g, i) => {
      if (i === 3) expect(g).toMatchObject({ status: 'rejected', reason: { code: 'aborted' } });
      else {
        expect(g.status).toBe('fulfilled');
        expect(JSON.parse(JSON.stringify((g as PromiseFulfilledResult<unknown>).value))).toEqual(
          JSON.parse(JSON.stringify(want[i])),
        );
      }
    });
    // The line is empty again: a later query answers at once.
    expect(one.queries).toEqual({ running: 0, waiting: 0 });
    expect((await one.query(REQS[0]!)).data.length).toBeGreaterThan(0);
  }, 120_000);
});
