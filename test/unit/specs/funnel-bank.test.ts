/**
 * The funnel on real data against a published figure: in the UCI Bank Marketing bank-full.csv,
 * 5,289 of 45,211 contacted clients subscribed a term deposit (11.70%). The CSV is turned into
 * funnel_events by the gallery's transform (src/data/real/bank-marketing.ts) and run through the engine.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { bankFunnelEvents, bankFunnelParams, BANK_STAGES_EN } from '../../../src/data/real/bank-marketing.js';
import { createEngine } from '../../../src/engine/create.js';
import type { FinEngine } from '../../../src/engine/create.js';
import { normalizeFunnel } from '../../../src/specs/funnel-layout.js';

// The real datasets are vendored in datasets/ (CC BY 4.0).
const path = fileURLToPath(new URL('../../../datasets/bank_marketing/bank-full.csv.gz', import.meta.url));

describe('funnel on UCI bank marketing (bank-full)', () => {
  let engine: FinEngine;
  let events: ReturnType<typeof bankFunnelEvents>;
  beforeAll(async () => {
    events = bankFunnelEvents(gunzipSync(readFileSync(path)).toString('utf8'), BANK_STAGES_EN);
    engine = createEngine({ timeZone: 'UTC' });
    await engine.load('funnel_events', events);
  });

  it('builds one contacted event per client and dates from May 2008 to Nov 2010', () => {
    expect(events.filter((e) => e.stage === 'Contacted')).toHaveLength(45211);
    const times = events.map((e) => e.event_time);
    expect(new Date(Math.min(...times)).toISOString().slice(0, 7)).toBe('2008-05');
    expect(new Date(Math.max(...times)).toISOString().slice(0, 7)).toBe('2010-11');
  });

  for (const mode of ['strict', 'loose'] as const) {
    it(`${mode}: 5,289 of 45,211 subscribed (11.70%)`, async () => {
      const r = await engine.query({
        metric: 'funnel',
        params: { ...bankFunnelParams(BANK_STAGES_EN), mode },
      });
      expect(r.quality.excluded).toEqual({});
      const m = normalizeFunnel(r.data);
      expect(m.stages).toEqual(['Contacted', 'Reached', 'Subscribed']);
      expect(m.total.map((s) => s.count)).toEqual([45211, 45208, 5289]);
      const last = m.total[2]!;
      expect(last.overallConversion!.toFixed(4)).toBe('0.1170');
      expect((last.overallConversion! * 100).toFixed(2)).toBe('11.70');
      expect(m.total[1]!.dropOff).toBe(3);
      if (mode === 'strict') expect(last.medianMs).toBeGreaterThan(60_000); // median call length of subscribers
    });
  }

  it('breaks down by contact channel; groups sum to the total', async () => {
    const r = await engine.query({
      metric: 'funnel',
      params: { ...bankFunnelParams(BANK_STAGES_EN), breakdown: 'channel' },
    });
    const m = normalizeFunnel(r.data, {
      breakdown: 'channel',
      overall: r.meta?.['overall'] as Array<Record<string, unknown>>,
    });
    expect(m.groups.map((g) => g.key).sort()).toEqual(['cellular', 'telephone', 'unknown']);
    expect(m.groups.reduce((a, g) => a + g.stages[2]!.count!, 0)).toBe(5289);
    expect(m.total[2]!.count).toBe(5289);
  });
});
