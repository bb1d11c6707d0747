import { describe, expect, it } from 'vitest';
import { monthOfDayIndex, offsetGetter } from '../../../src/data/columns.js';
import { Interner } from '../../../src/data/intern.js';

/** The fast paths of ingestion (performance work) must compute exactly what the plain code did. */
describe('ingestion fast paths', () => {
  it('Interner gives first-appearance codes equal to a Map, in both of its modes', () => {
    const cases: string[][] = [
      Array.from({ length: 30000 }, (_, i) => `ID${i}`), // all new: switches to the table
      Array.from({ length: 30000 }, (_, i) => `C${i % 97}`), // repeats: stays a Map
      Array.from({ length: 30000 }, (_, i) => (i < 9000 ? `U${i}` : `U${(i * 7919) % 12000}`)), // switch, then repeats
      ['', 'a', 'A', 'a ', 'é', 'e\u0301', '\u0000', 'a', ''],
      Array.from({ length: 30000 }, (_, i) => `TX${String(i).padStart(8, '0')}`), // increasing: no index at all
      Array.from({ length: 30000 }, (_, i) => `S${String(i < 10000 ? i : i % 9000).padStart(6, '0')}`), // increasing, then repeats (table)
      Array.from({ length: 3000 }, (_, i) => `S${String(i < 100 ? i : (i * 31) % 150).padStart(4, '0')}`), // short increasing run, then a Map
      ['b', 'c', 'a', 'c', 'b', 'd'],
    ];
    for (const values of cases) {
      const it = new Interner();
      const map = new Map<string, number>();
      const want: number[] = [];
      for (const v of values) {
        if (!map.has(v)) map.set(v, map.size);
        want.push(map.get(v)!);
      }
      expect(values.map((v) => it.intern(v))).toEqual(want);
      expect(it.dict).toEqual([...map.keys()]);
    }
  });

  it('monthOfDayIndex equals the Date calendar over five centuries', () => {
    for (let d = -200000; d <= 200000; d += 1) {
      const dt = new Date(d * 86400000);
      const want = dt.getUTCFullYear() * 12 + dt.getUTCMonth();
      if (monthOfDayIndex(d) !== want) expect(monthOfDayIndex(d)).toBe(want);
    }
  });

  it('the per-day offset table equals the per-hour offsets (zones with DST included)', () => {
    for (const tz of [
      'Asia/Shanghai',
      'America/New_York',
      'Europe/London',
      'Australia/Lord_Howe',
      'Asia/Kolkata',
    ]) {
      const fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      });
      const ref = (ms: number): number => {
        const h = Math.floor(ms / 3600000);
        const p: Record<string, number> = {};
        for (const part of fmt.formatToParts(new Date(h * 3600000)))
          if (part.type !== 'literal') p[part.type] = Number(part.value);
        return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!) - h * 3600000;
      };
      const get = offsetGetter(tz);
      // every hour of 1986–1992 (Shanghai's DST years) and of 2023–2025
      for (const [from, to] of [
        [Date.UTC(1986, 0, 1), Date.UTC(1992, 0, 1)],
        [Date.UTC(2023, 0, 1), Date.UTC(2026, 0, 1)],
      ] as const) {
        for (let ms = from; ms < to; ms += 3600000 + 1234567) {
          const a = get(ms);
          const b = ref(ms);
          if (a !== b) expect({ tz, ms, a }).toEqual({ tz, ms, a: b });
        }
      }
    }
  });
});
