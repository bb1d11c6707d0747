import { describe, expect, it } from 'vitest';
import { ctxOf, run } from './generic-fixtures.js';

const STAGES = ['visit', 'signup', 'apply', 'approve'];
// u1 full journey; u2 skips signup; u3 signs up before visiting; u4 visits twice, signs up 2 days after
// the second visit (19 days after the first); u5 only signs up.
const EV: Array<[string, string, string, string]> = [
  ['u1', '2024-01-01 10:00', 'visit', 'ads'],
  ['u1', '2024-01-01 11:00', 'signup', 'ads'],
  ['u1', '2024-01-01 13:00', 'apply', 'ads'],
  ['u1', '2024-01-01 15:00', 'approve', 'ads'],
  ['u2', '2024-01-02 10:00', 'visit', 'ads'],
  ['u2', '2024-01-02 12:00', 'apply', 'ads'],
  ['u3', '2024-01-03 08:00', 'signup', 'organic'],
  ['u3', '2024-01-03 09:00', 'visit', 'organic'],
  ['u3', '2024-01-03 10:00', 'apply', 'organic'],
  ['u4', '2024-01-01 10:00', 'visit', 'organic'],
  ['u4', '2024-01-18 10:00', 'visit', 'ads'],
  ['u4', '2024-01-20 10:00', 'signup', 'ads'],
  ['u5', '2024-01-05 10:00', 'signup', 'ads'],
];
const events = {
  user_id: EV.map((e) => e[0]),
  event_time: EV.map((e) => e[1]),
  stage: EV.map((e) => e[2]),
  channel: EV.map((e) => e[3]),
};
const counts = (rows: Array<Record<string, unknown>>) => rows.map((r) => r.count);

describe('funnel', () => {
  it('strict: ordered journeys, conversions, drop-off and median hours', () => {
    const r = run(ctxOf({ funnel_events: events }), 'funnel', { stages: STAGES });
    // visit u1 u2 u3 u4; signup u1 u4 (u3 signed up before visiting); apply u1; approve u1.
    expect(r.data).toEqual([
      {
        stage: 'visit',
        step: 1,
        count: 4,
        stepConversion: null,
        overallConversion: 1,
        dropOff: null,
        medianHours: null,
      },
      // signup hours: u1 1, u4 19 days = 456 → median 228.5
      {
        stage: 'signup',
        step: 2,
        count: 2,
        stepConversion: 0.5,
        overallConversion: 0.5,
        dropOff: 2,
        medianHours: 228.5,
      },
      {
        stage: 'apply',
        step: 3,
        count: 1,
        stepConversion: 0.5,
        overallConversion: 0.25,
        dropOff: 1,
        medianHours: 2,
      },
      {
        stage: 'approve',
        step: 4,
        count: 1,
        stepConversion: 1,
        overallConversion: 0.25,
        dropOff: 0,
        medianHours: 2,
      },
    ]);
    expect(r.meta!.entities).toBe(5);
  });

  it('strict with a window tries every stage-1 start', () => {
    const ctx = ctxOf({ funnel_events: events });
    const w7 = run(ctx, 'funnel', { stages: STAGES, windowDays: 7 });
    // u4 counts at signup from its second visit (48 h): median of 1 and 48 = 24.5
    expect(counts(w7.data)).toEqual([4, 2, 1, 1]);
    expect(w7.data[1]!.medianHours).toBe(24.5);
    const w1 = run(ctx, 'funnel', { stages: STAGES, windowDays: 1 });
    expect(counts(w1.data)).toEqual([4, 1, 1, 1]); // 48 h > 24 h
  });

  it('loose: distinct entities per stage, may increase', () => {
    const r = run(ctxOf({ funnel_events: events }), 'funnel', { stages: STAGES, mode: 'loose' });
    // visit u1–u4; signup u1 u3 u4 u5; apply u1 u2 u3; approve u1
    expect(counts(r.data)).toEqual([4, 4, 3, 1]);
    expect(r.data.map((d) => d.stepConversion)).toEqual([null, 1, 0.75, 0.3333333333]);
    expect(r.data.every((d) => d.medianHours === null)).toBe(true);
  });

  it('default stage order: distinct entities descending, ties by name', () => {
    const r = run(ctxOf({ funnel_events: events }), 'funnel', { mode: 'loose' });
    expect(r.meta!.stages).toEqual(['signup', 'visit', 'apply', 'approve']);
  });

  it('breakdown by first touch and CAC from campaign_spend', () => {
    const spend = {
      campaign: ['c1', 'c2'],
      channel: ['ads', 'organic'],
      date: ['2024-01-01', '2024-01-15'],
      spend: [300, 100],
    };
    const r = run(ctxOf({ funnel_events: events, campaign_spend: spend }), 'funnel', {
      stages: STAGES,
      breakdown: 'channel',
    });
    // ads: u1 (full), u2 (visit); organic: u3 (visit), u4 (first visit organic → visit, signup)
    expect(r.data.map((d) => [d.group, d.stage, d.count])).toEqual([
      ['ads', 'visit', 2],
      ['ads', 'signup', 1],
      ['ads', 'apply', 1],
      ['ads', 'approve', 1],
      ['organic', 'visit', 2],
      ['organic', 'signup', 1],
      ['organic', 'apply', 0],
      ['organic', 'approve', 0],
    ]);
    expect(counts(r.meta!.overall as Array<Record<string, unknown>>)).toEqual([4, 2, 1, 1]);
    // CAC = (300 + 100) / 1 approved
    expect(r.meta!.cac).toEqual({ spend: 400, customers: 1, cac: 400, source: 'campaign_spend' });
    expect(r.meta!.cacByGroup).toEqual([
      { group: 'ads', spend: 300, customers: 1, cac: 300 },
      { group: 'organic', spend: 100, customers: 0, cac: null },
    ]);
  });

  it('event-time filters apply to the spend date', () => {
    const spend = {
      campaign: ['c1', 'c2'],
      channel: ['ads', 'organic'],
      date: ['2024-01-01', '2024-01-15'],
      spend: [300, 100],
    };
    const ctx = ctxOf({ funnel_events: events, campaign_spend: spend }, [
      { field: 'event_time', op: 'range', value: ['2024-01-01', '2024-01-10'] },
    ]);
    const r = run(ctx, 'funnel', { stages: STAGES });
    expect(counts(r.data)).toEqual([4, 1, 1, 1]); // u4's signup (01-20) is filtered out
    expect(r.meta!.cac).toMatchObject({ spend: 300, cac: 300 });
  });

  it('empty and one-event inputs', () => {
    const none = run(
      ctxOf({ funnel_events: events }, [{ field: 'user_id', op: 'eq', value: 'x' }]),
      'funnel',
      { stages: STAGES },
    );
    expect(none.data).toEqual([]);
    const one = run(
      ctxOf({ funnel_events: { user_id: ['a'], event_time: ['2024-01-01'], stage: ['visit'] } }),
      'funnel',
      { stages: ['visit', 'buy', 'pay'] },
    );
    expect(counts(one.data)).toEqual([1, 0, 0]);
    expect(one.data[1]).toMatchObject({ stepConversion: 0, dropOff: 1, medianHours: null });
    // 0 / 0: null, not NaN
    expect(one.data[2]).toMatchObject({ stepConversion: null, overallConversion: 0, dropOff: 0 });
  });
});
