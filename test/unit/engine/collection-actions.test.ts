import { describe, expect, it } from 'vitest';
import { channelEffectiveness } from '../../../src/engine/metrics/channel-effectiveness.js';
import type { ChannelEffectivenessRow } from '../../../src/engine/metrics/channel-effectiveness.js';
import { collectorPerformance } from '../../../src/engine/metrics/collector-performance.js';
import type { CollectorPerformanceRow } from '../../../src/engine/metrics/collector-performance.js';
import type { ActionRow } from './collection-fixtures.js';
import { actions, loanMonths, run } from './collection-fixtures.js';

const LM = loanMonths([
  { loan: 'L1', m: '2024-03', out: 1000, dpd: 20 },
  { loan: 'L2', m: '2024-03', out: 2000, dpd: 40 },
  { loan: 'L3', m: '2024-03', out: 500, dpd: 70 },
  { loan: 'L1', m: '2024-04', out: 900, dpd: 50 },
]);

/** Collector X (team T1) works C1, C2; collector Y (team T2) works C3 and is assigned C4 without an action. */
const ROWS: ActionRow[] = [
  // 1: PTP 300 due 03-10, kept by action 2's payment on 03-09
  {
    case: 'C1',
    loan: 'L1',
    collector: 'X',
    team: 'T1',
    time: '2024-03-05 10:00',
    channel: 'phone',
    contacted: true,
    ptp: true,
    ptpAmount: 300,
    ptpDue: '2024-03-10',
    paid: 0,
    cost: 2,
  },
  {
    case: 'C1',
    loan: 'L1',
    collector: 'X',
    team: 'T1',
    time: '2024-03-09 12:00',
    channel: 'sms',
    paid: 300,
    cost: 0.1,
  },
  {
    case: 'C2',
    loan: 'L2',
    collector: 'X',
    team: 'T1',
    time: '2024-03-20 09:00',
    channel: 'phone',
    contacted: false,
    cost: 2,
  },
  // 4: PTP 500 due 03-25: only 100 paid by then (the 400 on 03-26 is late) → broken
  {
    case: 'C2',
    loan: 'L2',
    collector: 'X',
    team: 'T1',
    time: '2024-03-21 09:00',
    channel: 'phone',
    contacted: true,
    ptp: true,
    ptpAmount: 500,
    ptpDue: '2024-03-25',
    paid: 100,
    cost: 2,
  },
  {
    case: 'C2',
    loan: 'L2',
    collector: 'X',
    team: 'T1',
    time: '2024-03-26 15:00',
    channel: 'visit',
    contacted: true,
    paid: 400,
    cost: 50,
  },
  // 6: PTP due 04-15, after the last action date (04-01) and unpaid → pending
  {
    case: 'C3',
    loan: 'L3',
    collector: 'Y',
    team: 'T2',
    time: '2024-03-28 11:00',
    channel: 'phone',
    contacted: true,
    ptp: true,
    ptpAmount: 200,
    ptpDue: '2024-04-15',
    paid: 0,
    cost: 2,
  },
  // 7: assignment only (no channel)
  { case: 'C4', loan: 'L1', collector: 'Y', team: 'T2', time: '2024-04-01 08:00', channel: null },
  {
    case: 'C3',
    loan: 'L3',
    collector: 'Y',
    team: 'T2',
    time: '2024-03-29 11:00',
    channel: 'ivr',
    contacted: false,
    cost: 0.5,
  },
  // 9: ptp true, contacted false (counted as contacted); 60 ≥ 50 by 03-31 → kept
  {
    case: 'C3',
    loan: 'L3',
    collector: 'Y',
    team: 'T2',
    time: '2024-03-30 11:00',
    channel: 'phone',
    contacted: false,
    ptp: true,
    ptpAmount: 50,
    ptpDue: '2024-03-31',
    paid: 60,
    cost: 2,
  },
];

describe('collector_performance', () => {
  const r = run<CollectorPerformanceRow>(collectorPerformance, [actions(ROWS), LM]);
  const row = (level: string, key: string) =>
    r.data.find((d) => d.level === level && (level === 'collector' ? d.collector : d.team) === key)!;
  it('per collector', () => {
    expect(r.data.map((d) => [d.level, d.collector, d.team])).toEqual([
      ['collector', 'X', 'T1'],
      ['collector', 'Y', 'T2'],
      ['team', null, 'T1'],
      ['team', null, 'T2'],
    ]);
    expect(row('collector', 'X')).toEqual({
      level: 'collector',
      collector: 'X',
      team: 'T1',
      cases: 2,
      casesWithAction: 2,
      coverage: 1,
      actions: 5,
      penetration: 5 / 2,
      phoneActions: 3,
      connected: 2,
      connectRate: Math.round((2 / 3) * 1e10) / 1e10,
      contacted: 3,
      ptps: 2,
      ptpRate: Math.round((2 / 3) * 1e10) / 1e10,
      ptpDue: 2,
      ptpKept: 1,
      ptpPending: 0,
      ptpKeptRate: 0.5,
      recovered: 0 + 300 + 0 + 100 + 400,
      assignedOutstanding: 1000 + 2000, // C1 → L1 at 2024-03, C2 → L2 at 2024-03
      recoveryRate: Math.round((800 / 3000) * 1e10) / 1e10,
      cost: 2 + 0.1 + 2 + 2 + 50,
    });
    const y = row('collector', 'Y');
    expect(y).toMatchObject({ cases: 2, casesWithAction: 1, coverage: 0.5, actions: 3, penetration: 1.5 });
    expect(y).toMatchObject({
      phoneActions: 2,
      connected: 2,
      connectRate: 1,
      contacted: 2,
      ptps: 2,
      ptpRate: 1,
    });
    expect(y).toMatchObject({ ptpDue: 1, ptpKept: 1, ptpPending: 1, ptpKeptRate: 1, recovered: 60 });
    // C3 → L3 at 2024-03 (500); C4 first (assignment) row on 2024-04-01 → L1 at 2024-04 (900)
    expect(y.assignedOutstanding).toBe(500 + 900);
    expect(y.recoveryRate).toBeCloseTo(60 / 1400, 10);
    expect(y.cost).toBeCloseTo(4.5, 10);
  });
  it('per team equals its single collector here', () => {
    const { level: _a, collector: _b, ...x } = row('collector', 'X');
    const { level: _c, collector: _d, ...t1 } = row('team', 'T1');
    expect(t1).toEqual(x);
  });
  it('basis, quality and warnings', () => {
    expect(r.basis.asOf).toBe('2024-04-01');
    expect(r.basis.notes!.some((n) => n['en-US'].includes('first action'))).toBe(true);
    expect(r.quality.warnings).toHaveLength(1); // ptp without contact
    expect(r.quality.rows).toBe(9);
  });
  it('level option, no loan_months, empty input', () => {
    const t = run<CollectorPerformanceRow>(collectorPerformance, [actions(ROWS)], { level: 'team' });
    expect(t.data.every((d) => d.level === 'team')).toBe(true);
    expect(t.data[0]!.assignedOutstanding).toBeNull();
    expect(t.data[0]!.recoveryRate).toBeNull();
    expect(t.quality.warnings.some((w) => w['en-US'].includes('loan_months'))).toBe(true);
    const e = run(collectorPerformance, [actions([])]);
    expect(e.data).toEqual([]);
    expect(e.empty).toBeDefined();
  });
  it('filter on team', () => {
    const f = run<CollectorPerformanceRow>(
      collectorPerformance,
      [actions(ROWS), LM],
      { level: 'collector' },
      [{ field: 'team', op: 'eq', value: 'T2' }],
    );
    expect(f.data.map((d) => d.collector)).toEqual(['Y']);
  });
});

describe('channel_effectiveness', () => {
  const r = run<ChannelEffectivenessRow>(channelEffectiveness, [actions(ROWS)]);
  it('per channel in canonical order', () => {
    expect(r.data.map((d) => d.channel)).toEqual(['phone', 'sms', 'ivr', 'visit']);
    expect(r.data[0]).toEqual({
      channel: 'phone',
      actions: 5,
      contacted: 4,
      contactRate: 4 / 5,
      ptps: 4,
      ptpRate: 1,
      recovered: 100 + 60,
      cost: 10,
      costPer100: (10 / 160) * 100,
    });
    const sms = r.data[1]!;
    expect(sms).toMatchObject({ actions: 1, contacted: 0, contactRate: 0, ptpRate: null, recovered: 300 });
    expect(sms.costPer100).toBeCloseTo((0.1 / 300) * 100, 10);
    expect(r.data[2]!.costPer100).toBeNull(); // ivr recovered nothing
    expect(r.data[3]!.costPer100).toBe((50 / 400) * 100);
    expect(r.quality.excluded.missing_channel).toBe(1);
  });
  it('one row and empty input', () => {
    const one = run<ChannelEffectivenessRow>(channelEffectiveness, [actions([ROWS[0]!])]);
    expect(one.data).toHaveLength(1);
    expect(one.data[0]!.recovered).toBe(0);
    expect(one.data[0]!.costPer100).toBeNull();
    expect(run(channelEffectiveness, [actions([])]).data).toEqual([]);
  });
});

describe('ties', () => {
  it('a payment recorded at the same instant as the PTP counts, whatever the row order', () => {
    const rows: ActionRow[] = [
      {
        case: 'C1',
        loan: 'L1',
        collector: 'X',
        team: 'T1',
        time: '2024-03-05 10:00',
        channel: 'sms',
        paid: 300,
      },
      {
        case: 'C1',
        loan: 'L1',
        collector: 'X',
        team: 'T2',
        time: '2024-03-05 10:00',
        channel: 'phone',
        contacted: true,
        ptp: true,
        ptpAmount: 300,
        ptpDue: '2024-03-05',
        cost: 1,
      },
    ];
    for (const rs of [rows, [...rows].reverse()]) {
      const r = run<CollectorPerformanceRow>(collectorPerformance, [actions(rs), LM], { level: 'collector' });
      expect(r.data[0]).toMatchObject({ ptpDue: 1, ptpKept: 1, ptpKeptRate: 1 });
      // one row in each of T1 and T2: the tie goes to the first team by name
      expect(r.data[0]!.team).toBe('T1');
      expect(r.data[0]!.assignedOutstanding).toBe(1000);
    }
  });
});
