/**
 * Absurd dates (issue 13 #2). `1899-12-31` and `9999-12-31` parse but are never bank events: every
 * load has a valid date range (default 1970-01-01 … today + 5 years, `dateRange` to change it),
 * values outside it reject their row as `out_of_range`; every period axis is capped at MAX_PERIODS
 * (cut to the latest periods with a warning, or a typed error where a matrix cannot be cut); the
 * KPI's latest period is robust to a stray future row and says so in its basis. Prints one figure.
 */
import { describe, expect, it } from 'vitest';
import { ingestSync } from '../../../src/data/ingest.js';
import { resolveDateRange } from '../../../src/data/date-range.js';
import { createEngine } from '../../../src/engine/create.js';
import { MAX_PERIODS } from '../../../src/engine/metrics/period-cap.js';
import { pastRangeEnd, validRows } from '../../fixtures/bad-data.js';

const txns = (extra: Array<Record<string, unknown>>) => [...validRows('transactions', 500, 4), ...extra];
const stray = (txn_time: string, i: number) => ({
  ...validRows('transactions', 1, 100 + i)[0],
  txn_id: `STRAY${i}`,
  txn_time,
});

describe('the valid date range of a load', () => {
  it('default: 1970-01-01 … today + 5 years, by calendar day', () => {
    const [lo, hi] = resolveDateRange(undefined, Date.UTC(2026, 11, 5, 12));
    expect(lo).toBe(0);
    expect(new Date(hi * 86400000).toISOString().slice(0, 10)).toBe('2031-12-05');
  });

  it('repro: 1899-12-31 and 9999-12-31 are out_of_range and counted; edges are kept', () => {
    const rows = txns([
      stray('1899-12-31', 1),
      stray('9999-12-31', 2),
      stray('1969-12-31 23:59:59', 3),
      stray(`${pastRangeEnd(1)} 08:00:00`, 4),
      stray('1970-01-01 00:00:00', 5),
      stray(`${pastRangeEnd(0)} 23:59:59`, 6),
    ]);
    for (const input of [rows, JSON.stringify(rows)]) {
      const { report } = ingestSync('transactions', input);
      expect(report.rejected.out_of_range).toBe(4);
      expect(report.rowsKept).toBe(502);
      expect(report.samples.out_of_range).toEqual([501, 502, 503, 504]);
      expect(report.warnings.map((w) => w.code)).toContain('rows_rejected');
    }
  });

  it('dateRange changes it per load (and a bad range is a typed error)', () => {
    const rows = txns([stray('1899-12-31', 1)]);
    expect(
      ingestSync('transactions', rows, { dateRange: ['1800-01-01', '2100-12-31'] }).report.rowsKept,
    ).toBe(501);
    expect(
      ingestSync('transactions', rows, { dateRange: ['2024-01-01', '2024-12-31'] }).report.rejected
        .out_of_range,
    ).toBeGreaterThan(100);
    expect(() => ingestSync('transactions', rows, { dateRange: ['2025-01-01', '2024-01-01'] })).toThrow(
      /from is after to/,
    );
  });
});

describe('issue 13 #2 repro: one 9999-12-31 transaction no longer poisons the metrics', () => {
  it('cohort, fund_flow, kpi, rfm answer on the real span', async () => {
    const engine = createEngine();
    const report = await engine.load('transactions', txns([stray('9999-12-31', 1), stray('1899-12-31', 2)]));
    expect(report.rejected.out_of_range).toBe(2);
    const cohort = await engine.query({ metric: 'cohort' });
    expect(cohort.data.length).toBeGreaterThan(0);
    const flow = await engine.query({ metric: 'fund_flow' });
    expect((flow.meta!.periods as string[]).length).toBeLessThanOrEqual(36);
    const kpi = await engine.query({ metric: 'kpi', params: { measure: { agg: 'sum', field: 'amount' } } });
    expect(String(kpi.basis.asOf)).not.toMatch(/^9999/);
    const rfm = await engine.query({ metric: 'rfm' });
    const scored = (rfm.data as Array<{ customers: number }>).reduce((a, r) => a + r.customers, 0);
    expect(scored).toBeGreaterThan(1);
    engine.dispose();
  });
});

describe('period axes are capped, never sized by the data', () => {
  it(`fund_flow by day and the month heatmap keep the latest ${MAX_PERIODS} periods, with a warning`, async () => {
    const engine = createEngine();
    await engine.load('transactions', txns([stray('1899-12-31', 1), stray('9999-12-31', 2)]), {
      dateRange: ['1800-01-01', '9999-12-31'],
    });
    const t0 = performance.now();
    const flow = await engine.query({ metric: 'fund_flow', params: { unit: 'day' } });
    expect((flow.meta!.periods as string[]).length).toBe(MAX_PERIODS);
    expect(flow.quality.warnings.length).toBeGreaterThan(0);
    expect(flow.quality.excluded.before_period_window).toBeGreaterThan(0);
    const heat = await engine.query({
      metric: 'heatmap',
      params: {
        x: { field: 'txn_time', part: 'month' },
        y: { field: 'category' },
        measure: { agg: 'count' },
      },
    });
    expect((heat.meta!.xDomain as string[]).length).toBe(MAX_PERIODS);
    expect(heat.quality.warnings.length).toBeGreaterThan(0);
    // a matrix that cannot be cut: a typed error, not "Invalid typed array length"
    await expect(engine.query({ metric: 'cohort' })).rejects.toMatchObject({
      code: 'bad_params',
      details: { reason: 'too_many_periods' },
    });
    expect(performance.now() - t0).toBeLessThan(5000);
    engine.dispose();
  });

  it('a stray future row inside the range does not move the KPI period; the basis says so', async () => {
    const engine = createEngine();
    // 2,000 rows over 36 months (~55 a month): one row in a month of its own is under 5 % of that
    const rows = [...validRows('transactions', 2000, 4), stray(`${pastRangeEnd(-10)} 10:00:00`, 1)];
    await engine.load('transactions', rows);
    const kpi = await engine.query({ metric: 'kpi', params: { measure: { agg: 'sum', field: 'amount' } } });
    expect(String(kpi.basis.asOf) < '2026').toBe(true);
    const notes = JSON.stringify(kpi.basis);
    expect(notes).toMatch(/stray dates/);
    expect(notes).toMatch(/离群日期/);
    engine.dispose();
    console.log(
      `dates: 1899-12-31 / 9999-12-31 / range edges → out_of_range; period axes ≤ ${MAX_PERIODS}; KPI end robust to a stray row`,
    );
  });
});
