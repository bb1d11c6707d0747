/**
 * The mining metrics end to end on the seeded sample (through the engine, so the lazy loading is
 * exercised) and on small fixtures: cluster, score, model_monitor, profile; the sample's mining
 * attributes and their signal.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { generateSample } from '../../../src/data/sample.js';
import { loadSampleInto } from '../../../src/engine/dispatch.js';
import { LocalEngine } from '../../../src/engine/local.js';
import { clusterLabel } from '../../../src/engine/metrics/cluster.js';
import { profileMetric } from '../../../src/engine/metrics/profile.js';
import { scaled, scalingOf } from '../../../src/engine/metrics/score-model.js';
import type { MetricResult } from '../../../src/engine/types.js';
import { ctxOf } from './generic-fixtures.js';

type Meta = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('mining metrics on the sample', () => {
  const e = new LocalEngine();
  beforeAll(async () => {
    await loadSampleInto(e, { customers: 1200 });
  }, 60000);

  it('load lazily: a synchronous run before the first async query is not_ready', async () => {
    // A fresh module graph: the mining chunk is not loaded yet.
    vi.resetModules();
    const fresh = await import('../../../src/engine/local.js');
    const eng = new fresh.LocalEngine();
    expect(() => eng.querySync({ metric: 'cluster' })).toThrow(/loaded on first use/);
    let code: string | null = null;
    try {
      eng.querySync({ metric: 'profile', params: { group: { segment: 'important_value' } } });
    } catch (err) {
      code = (err as { code: string }).code;
    }
    expect(code).toBe('not_ready');
    // the async query loads the chunk first; with no data the answer is empty, and from then on
    // synchronous runs work too
    expect((await eng.query({ metric: 'cluster' })).data).toEqual([]);
    expect(eng.querySync({ metric: 'cluster', params: { k: 2 } }).data).toEqual([]);
    expect(() => eng.querySync({ metric: 'score' })).toThrow(/not loaded/); // loans missing
    const { metricPreload } = await import('../../../src/engine/metrics/index.js');
    expect(metricPreload('overdue_rate')).toBeNull();
  });

  it('cluster: k by silhouette, clusters by size, shares sum to 1, deterministic', async () => {
    const r = await e.query({ metric: 'cluster', params: { restarts: 3, kMax: 6 } });
    const m = r.meta as Meta;
    expect(m.kTable.map((k: { k: number }) => k.k)).toEqual([2, 3, 4, 5, 6]);
    const best = m.kTable.reduce((a: { silhouette: number }, b: { silhouette: number }) =>
      b.silhouette > a.silhouette ? b : a,
    );
    expect(best.chosen).toBe(true);
    expect(m.k).toBe(best.k);
    const rows = r.data as Array<{
      cluster: number;
      size: number;
      share: number;
      centroid: Record<string, number>;
    }>;
    expect(rows.map((x) => x.cluster)).toEqual(rows.map((_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.size).toBeLessThanOrEqual(rows[i - 1]!.size);
    expect(rows.reduce((a, x) => a + x.share, 0)).toBeCloseTo(1, 9);
    expect(rows.reduce((a, x) => a + x.size, 0)).toBe(m.entities);
    expect(Object.keys(rows[0]!.centroid)).toEqual(['recency', 'frequency', 'monetary']);
    // log1p on the skewed features is in the basis and in meta
    expect(m.features.some((f: { log1p: boolean }) => f.log1p)).toBe(true);
    expect(r.basis.notes!.some((n) => /log1p/.test(n['en-US']))).toBe(true);
    // inertia decreases with k on the same points
    for (let i = 1; i < m.kTable.length; i++)
      expect(m.kTable[i].inertia).toBeLessThan(m.kTable[i - 1].inertia);
    // members: every customer of cluster 1, for cross-filtering
    const mem = await e.query({ metric: 'cluster', params: { restarts: 3, kMax: 6, members: [1] } });
    expect((mem.meta as Meta).members).toHaveLength(rows[0]!.size);
    expect((mem.meta as Meta).memberField).toBe('customer_id');
    await expect(
      e.query({ metric: 'cluster', params: { restarts: 3, kMax: 6, members: [99] } }),
    ).rejects.toThrow(/Unknown cluster 99/);
    // assignments masked by default, with the limit
    const asg = await e.query({
      metric: 'cluster',
      params: {
        k: 3,
        restarts: 2,
        includeAssignments: true,
        limit: 7,
        features: ['recency', 'frequency', 'monetary', 'aum', 'products'],
      },
    });
    const list = (asg.meta as Meta).assignments as Array<{ customer_id: string; cluster: number }>;
    expect(list).toHaveLength(7);
    expect(list[0]!.customer_id).toMatch(/^CU\*+\d{3}$/);
    expect((asg.meta as Meta).kTable).toHaveLength(1);
    expect(asg.data).toHaveLength(3);
  }, 60000);

  it('cluster labels read the z-scores', () => {
    expect(clusterLabel({ recency: -1.2, frequency: 0.9, monetary: 0.6 })).toEqual({
      'zh-CN': '近期活跃高频高额',
      'en-US': 'Recently active, frequent, high-spend',
    });
    expect(clusterLabel({ recency: 0.1, frequency: -0.2 })).toEqual({ 'zh-CN': '均衡', 'en-US': 'Average' });
  });

  it('score: default model out of time, with signal; the model JSON re-applies', async () => {
    const r = await e.query({ metric: 'score', params: { scaling: true, includeScores: true, limit: 20 } });
    const m = r.meta as Meta;
    expect(m.split.kind).toBe('oot');
    expect(m.performance.train.n + m.performance.test.n).toBeGreaterThan(300);
    expect(m.performance.test.auc).toBeGreaterThan(0.6);
    expect(m.performance.test.auc).toBeLessThan(0.95);
    expect(m.fit.converged).toBe(true);
    expect(r.data[0]).toMatchObject({ term: '(intercept)', feature: null });
    expect(r.data.find((x) => x.feature === 'risk_grade')).toBeTruthy();
    expect(m.scores).toHaveLength(20);
    expect(m.scores[0].score).toBeGreaterThan(300);
    expect(r.quality.excluded.immature).toBeGreaterThan(0);
    // JSON round trip, then apply: same PDs for the same loans
    const model = JSON.parse(JSON.stringify(m.model));
    const again = await e.query({ metric: 'score', params: { model, includeScores: true, limit: 20 } });
    expect((again.meta as Meta).scores.map((s: { pd: number }) => s.pd)).toEqual(
      m.scores.map((s: { pd: number }) => s.pd),
    );
    expect((again.meta as Meta).split).toEqual({ kind: 'applied' });
    await expect(e.query({ metric: 'score', params: { model: { format: 'x' } } })).rejects.toThrow(
      /model must be/,
    );
  }, 60000);

  it('score: churn and cure definitions, and a tree', async () => {
    const churn = await e.query({ metric: 'score', params: { definition: 'churn' } });
    expect((churn.meta as Meta).performance.test.auc).toBeGreaterThan(0.6);
    const cure = await e.query({ metric: 'score', params: { definition: 'cure', algorithm: 'tree' } });
    const cm = cure.meta as Meta;
    expect(cm.kind).toBe('tree');
    expect(cm.model.tree).toBeTruthy();
    expect(cure.data.every((t) => (t as { importance: number }).importance >= 0)).toBe(true);
  }, 60000);

  it('model_monitor: figures agree with each other; PSI per monitoring month', async () => {
    const r = await e.query({ metric: 'model_monitor', params: {} });
    const m = r.meta as Meta;
    expect(m.overall.gini).toBeCloseTo(2 * m.overall.auc - 1, 9);
    expect(m.bands).toHaveLength(10);
    expect(m.bands.reduce((a: number, b: { count: number }) => a + b.count, 0)).toBe(m.overall.count);
    expect(m.bands[9].gain).toBeCloseTo(1, 9);
    expect(m.developmentBands.reduce((a: number, b: { count: number }) => a + b.count, 0)).toBe(
      m.development.count,
    );
    expect(Math.max(...m.curve.map((p: { ks: number }) => p.ks))).toBeCloseTo(m.overall.ks, 9);
    expect(m.curve.length).toBeLessThanOrEqual(101);
    const mon = (r.data as Array<{ sample: string; psi: number | null }>).filter(
      (x) => x.sample === 'monitoring',
    );
    expect(mon.length).toBeGreaterThan(0);
    expect(mon.every((x) => x.psi !== null && x.psi >= 0)).toBe(true);
    expect(
      (r.data as Array<{ sample: string; psi: number | null }>)
        .filter((x) => x.sample === 'development')
        .every((x) => x.psi === null),
    ).toBe(true);
    for (const f of m.features) expect(f.iv).toBeGreaterThanOrEqual(0);
    // the risk grade (a proxy of the latent risk) carries information
    expect(m.features.find((f: { feature: string }) => f.feature === 'risk_grade').iv).toBeGreaterThan(0.05);
  }, 60000);

  it('profile: an RFM segment against all customers; TGI = share ratio × 100', async () => {
    const r = await e.query({ metric: 'profile', params: { group: { segment: 'important_value' } } });
    const m = r.meta as Meta;
    expect(m.group.kind).toBe('segment');
    expect(m.base.size).toBe(1200);
    for (const row of r.data as Array<{
      groupShare: number;
      baseShare: number;
      tgi: number | null;
      groupCount: number;
      small: boolean;
    }>) {
      if (row.tgi !== null) expect(row.tgi).toBeCloseTo((row.groupShare / row.baseShare) * 100, 6);
      expect(row.small).toBe(row.groupCount < 30);
    }
    const bad = await e.query({ metric: 'profile', params: { group: { label: 'default' } } });
    // bad customers are over-represented in the worst risk grade
    const e5 = (bad.data as Array<{ attribute: string; value: string; tgi: number }>).find(
      (x) => x.attribute === 'risk_grade' && x.value === 'E',
    );
    expect(e5!.tgi).toBeGreaterThan(100);
  }, 60000);
});

describe('profile on a fixture', () => {
  it('shares, TGI, small flags and the rest as base', () => {
    const customers = {
      customer_id: ['a', 'b', 'c', 'd', 'e'],
      gender: ['男', '男', '女', '女', '女'],
      birth_year: [1990, 1980, 1990, 1970, 2000],
      open_date: ['2020-01-01', '2020-01-01', '2020-01-01', '2020-01-01', '2024-12-31'],
      aum: [100, 200, 300, 400, 500],
    };
    const ctx = ctxOf({ customers });
    const r = profileMetric.run(
      ctx,
      { group: { ids: ['a', 'b', 'c'] }, minCount: 2 },
      'customers',
    ) as MetricResult;
    const g = (r.data as Array<Record<string, unknown>>).filter((x) => x.attribute === 'gender');
    // group: 2 男 of 3, base 2 of 5 → TGI (2/3)/(2/5)·100 = 166.67; 女 1 of 3 vs 3 of 5 → 55.56
    expect(
      g.map((x) => [x.value, x.groupCount, x.baseCount, Math.round((x.tgi as number) * 100) / 100, x.small]),
    ).toEqual([
      ['女', 1, 3, 55.56, true],
      ['男', 2, 2, 166.67, false],
    ]);
    const num = (
      (r.meta as Meta).numeric as Array<{ attribute: string; group: { mean: number; median: number } }>
    ).find((x) => x.attribute === 'aum')!;
    expect(num.group).toMatchObject({ mean: 200, median: 200, n: 3 });
    const rest = profileMetric.run(
      ctx,
      { group: { ids: ['a', 'b', 'c'] }, base: 'rest' },
      'customers',
    ) as MetricResult;
    expect((rest.meta as Meta).base.size).toBe(2);
    // ages as of the latest date (2024): 34, 44, 34, 54, 24 → bands
    const ages = (r.data as Array<Record<string, unknown>>)
      .filter((x) => x.attribute === 'age_band')
      .map((x) => [x.value, x.baseCount]);
    expect(ages).toEqual([
      ['18-25', 1],
      ['26-35', 2],
      ['36-45', 1],
      ['46-55', 1],
    ]);
    expect(r.quality.warnings).toHaveLength(0);
  });
});

describe('score scaling and the sample attributes', () => {
  it('600 at good:bad 19, +50 per doubling of the odds', () => {
    const s = scalingOf(true)!;
    expect(scaled(s, 1 / 20)).toBeCloseTo(600, 9);
    expect(scaled(s, 1 / 39)).toBeCloseTo(650, 9);
    expect(scalingOf({ base: 500, odds: 1, pdo: 20 })!.A).toBe(500);
  });

  it('customers carry city_tier, products and risk_grade; riskier grades churn and default more', () => {
    const d = generateSample({ customers: 3000 });
    const c = d.customers as Record<string, unknown[]>;
    expect(new Set(c.city_tier)).toEqual(new Set(['一线', '新一线', '二线', '三线及以下']));
    expect(new Set(c.risk_grade)).toEqual(new Set(['A', 'B', 'C', 'D', 'E']));
    expect((c.products as number[]).every((p) => Number.isInteger(p) && p >= 1)).toBe(true);
    // churned = no transaction in the last 3 months while active before
    const last = new Map<string, string>();
    const t = d.transactions as Record<string, string[]>;
    t.customer_id!.forEach((id, i) => {
      const tm = t.txn_time![i]!;
      if ((last.get(id) ?? '') < tm) last.set(id, tm);
    });
    const rate = (g: string) => {
      const ids = (c.customer_id as string[]).filter((_, i) => c.risk_grade![i] === g && last.has(_));
      return ids.filter((id) => last.get(id)! < '2026-08-01').length / ids.length;
    };
    expect(rate('E')).toBeGreaterThan(1.5 * rate('A'));
  });
});
