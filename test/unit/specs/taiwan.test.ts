/**
 * The real UCI credit-card data (Taiwan, Apr–Sep 2005) through the canonical mapping of
 * src/data/real/taiwan.ts and the collection metrics the overdue-trend element draws.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/engine/create.js';
import type { FinEngine } from '../../../src/engine/create.js';
import { TAIWAN_MONTHS, dpdOfStatus, parseTaiwanCsv } from '../../../src/data/real/taiwan.js';
import type { TaiwanData } from '../../../src/data/real/taiwan.js';

// The real datasets are vendored in datasets/ (CC BY 4.0).
const FILE = fileURLToPath(
  new URL('../../../datasets/taiwan_credit_default/UCI_Credit_Card.csv.gz', import.meta.url),
);

describe('Taiwan credit-card data → loans / loan_months', () => {
  let data: TaiwanData;
  let engine: FinEngine;

  beforeAll(async () => {
    data = parseTaiwanCsv(gunzipSync(readFileSync(FILE)).toString('utf8'));
    engine = createEngine();
    await engine.load('loans', data.loans);
    await engine.load('loan_months', data.loan_months);
  });

  it('maps a repayment status s into bucket M_s (dpd = 30·s − 15)', () => {
    expect(dpdOfStatus(-2)).toBe(0);
    expect(dpdOfStatus(-1)).toBe(0);
    expect(dpdOfStatus(0)).toBe(0);
    expect(dpdOfStatus(1)).toBe(15);
    expect(dpdOfStatus(2)).toBe(45);
    expect(dpdOfStatus(3)).toBe(75);
    expect(dpdOfStatus(8)).toBe(225);
    expect(dpdOfStatus(null)).toBeNull();
  });

  it('reads 30,000 clients into 180,000 loan-months, oldest month first', () => {
    expect(data.clients).toBe(30000);
    expect(data.skipped).toBe(0);
    expect(data.loans.loan_id.length).toBe(30000);
    expect(data.loan_months.loan_id.length).toBe(180000);
    // Client 1: status Sep..Apr = 2, 2, -1, -1, -2, -2; bills 3913, 3102, 689, 0, 0, 0.
    const rows = data.loan_months.loan_id.map((id, i) => (id === '1' ? i : -1)).filter((i) => i >= 0);
    expect(rows.map((i) => data.loan_months.snapshot_date[i])).toEqual(TAIWAN_MONTHS.map((m) => m.end));
    expect(rows.map((i) => data.loan_months.dpd[i])).toEqual([0, 0, 0, 0, 45, 45]);
    expect(rows.map((i) => data.loan_months.outstanding[i])).toEqual([0, 0, 0, 689, 3102, 3913]);
    expect(rows.map((i) => data.loan_months.due_amount[i])).toEqual([null, 0, 0, 0, 689, 3102]);
    expect(rows.map((i) => data.loan_months.paid_amount[i])).toEqual([0, 0, 0, 0, 689, 0]);
    expect(data.loans.principal[0]).toBe(20000);
  });

  it('keeps the next-month default share of the source: 6,636 / 30,000 = 22.12%', () => {
    const defaulted = data.defaultNextMonth.filter((y) => y === 1).length;
    expect(defaulted).toBe(6636);
    expect(defaulted / data.clients).toBeCloseTo(0.2212, 4);
  });

  it('gives a bucket trend for the 6 months, every bucket each month', async () => {
    const r = await engine.query({ metric: 'bucket_trend' });
    const months = [...new Set(r.data.map((d) => d['month']))];
    expect(months).toEqual(TAIWAN_MONTHS.map((m) => m.month));
    expect(r.data.length).toBe(6 * 8);
    for (const m of months) {
      const s = r.data.filter((d) => d['month'] === m).reduce((a, d) => a + (d['share'] as number), 0);
      expect(s).toBeCloseTo(1, 9);
    }
    // Status 2 is common in every month: M2 carries balance throughout.
    expect(r.data.filter((d) => d['bucket'] === 'M2').every((d) => (d['value'] as number) > 0)).toBe(true);
  });

  it('gives a roll-rate matrix whose non-empty rows sum to 1', async () => {
    const r = await engine.query({ metric: 'roll_rate' });
    expect(r.meta?.['t0']).toBe('2005-08');
    expect(r.meta?.['t1']).toBe('2005-09');
    const rows = new Map<string, number>();
    for (const d of r.data)
      if (d['share'] !== null)
        rows.set(d['from'] as string, (rows.get(d['from'] as string) ?? 0) + (d['share'] as number));
    expect(rows.size).toBeGreaterThan(3);
    for (const s of rows.values()) expect(s).toBeCloseTo(1, 9);
    // Every client has a row each month: nothing in the missing column.
    expect(r.data.filter((d) => d['to'] === 'missing').every((d) => d['loans'] === 0)).toBe(true);
  });

  it('shows the dataset quirk: status 1 (M1) is rare after September, so M0→M1 flows are near zero', async () => {
    const bt = await engine.query({ metric: 'bucket_trend', params: { measure: 'count' } });
    const m1 = (month: string): number =>
      bt.data.find((d) => d['month'] === month && d['bucket'] === 'M1')!['count'] as number;
    expect(m1('2005-09')).toBe(3688);
    expect(m1('2005-08')).toBe(28);
    expect(m1('2005-05')).toBe(0);
    const fr = await engine.query({ metric: 'flow_rate' });
    const aug = fr.data.find((d) => d['month'] === '2005-08' && d['transition'] === 'M0→M1')!;
    expect(aug['rate'] as number).toBeLessThan(0.001);
  });

  it('gives coincident and lagged overdue rates (lagged null where t − L is outside the data)', async () => {
    const co = await engine.query({ metric: 'overdue_rate', params: { k: 1 } });
    expect(co.data.length).toBe(6);
    expect(co.data.every((d) => typeof d['rate'] === 'number' && d['rate'] > 0 && d['rate'] < 1)).toBe(true);
    const lagged = await engine.query({ metric: 'overdue_rate', params: { k: 3, lag: 3 } });
    expect(lagged.data.slice(0, 3).every((d) => d['rate'] === null)).toBe(true);
    expect(lagged.data.slice(3).every((d) => typeof d['rate'] === 'number')).toBe(true);
  });
});
