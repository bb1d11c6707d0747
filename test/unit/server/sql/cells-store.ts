/** What every store of prepared cells must do (prepared-cells.ts), on any database. */
import { expect } from 'vitest';
import type { MetricResult } from '../../../../src/engine/types.js';
import type { PersistedCells } from '../../../../src/server/prepared-cells.js';

export const cellAnswer = (n: number): MetricResult =>
  ({ data: [{ v: n }], basis: { filters: [] }, quality: {} }) as unknown as MetricResult;

/**
 * On an empty store bound to 3 cells: four keys saved and k0 again, restored as k0's newest
 * answer and the newest three keys (k2, k3, k0), oldest first.
 */
export async function expectNewestWithinBound(p: PersistedCells): Promise<void> {
  expect(await p.restore()).toEqual([]);
  for (let i = 0; i < 4; i++) p.save({ key: `k${i}`, dims: ['region'], answer: cellAnswer(i) });
  p.save({ key: 'k0', dims: ['region'], answer: cellAnswer(10) });
  await p.flush();
  const got = await p.restore();
  expect(got.map((c) => [c.key, c.answer.data[0]!['v']])).toEqual([
    ['k2', 2],
    ['k3', 3],
    ['k0', 10],
  ]);
}
