/**
 * Rejected rows reach every answer (issue 13 #5): a result computed from a dataset whose load
 * rejected rows carries `quality.load` (counts by reason) and a localised warning — for every
 * metric of every dataset, from the raw path, the cache and the cube alike. Prints one figure.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/engine/create.js';
import { BAD_DATASETS, METRIC_REQUESTS, validRows } from '../../fixtures/bad-data.js';

describe('load rejections in every result', () => {
  it('repro: 342 read, 292 used → every answer says so', async () => {
    const engine = createEngine();
    const good = validRows('transactions', 292, 3);
    const bad = Array.from({ length: 50 }, (_, i) => ({
      ...good[i]!,
      txn_id: `BAD${i}`,
      amount: i % 2 ? '0x1F' : 'Infinity',
    }));
    const report = await engine.load('transactions', [...good, ...bad]);
    expect([report.rowsRead, report.rowsKept]).toEqual([342, 292]);
    const r = await engine.query({ metric: 'fund_flow' });
    expect(r.quality.load).toEqual({
      dataset: 'transactions',
      rowsRead: 342,
      rowsKept: 292,
      rejected: { unparseable_number: 50 },
    });
    const w = r.quality.warnings.at(-1)!;
    expect(w['en-US']).toMatch(/50 of 342 rows were rejected at load \(unparseable number 50\)/);
    expect(w['zh-CN']).toMatch(/剔除 50 \/ 342 行（数值无法解析 50）/);
    // the cached answer too, and the warning is not added twice
    const again = await engine.query({ metric: 'fund_flow' });
    expect(again.quality.warnings.length).toBe(r.quality.warnings.length);
    engine.dispose();
  });

  it('every metric of every dataset, and a clean load adds nothing', async () => {
    const engine = createEngine();
    for (const name of BAD_DATASETS) {
      const rows = validRows(name, 80, 2);
      await engine.load(name, [...rows, null as never, { ...rows[0]! }]);
    }
    let n = 0;
    for (const name of BAD_DATASETS)
      for (const q of METRIC_REQUESTS[name]) {
        const r = await engine.query(q);
        expect(r.quality.load?.rowsRead, `${name} ${q.metric}`).toBeGreaterThan(
          r.quality.load?.rowsKept ?? Infinity,
        );
        n++;
      }
    const clean = createEngine();
    await clean.load('transactions', validRows('transactions', 50, 1));
    expect((await clean.query({ metric: 'fund_flow' })).quality.load).toBeUndefined();
    engine.dispose();
    clean.dispose();
    console.log(
      `load quality: ${n}/${n} metric answers over datasets with rejected rows carry the load's counts and a warning`,
    );
  });
});
