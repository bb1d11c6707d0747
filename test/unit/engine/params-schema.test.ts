/**
 * Metric params schemas (src/engine/metrics/params-schemas.ts): every metric has one, every example
 * request of docs/metrics.md validates, bad params are rejected with a JSON-pointer path (by the
 * validator and by the engine), and src/engine/params.generated.ts is what the generator makes of
 * the schemas today.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without types
import { OUT, renderParamTypes } from '../../../scripts/gen-param-types.mjs';
import { FinError } from '../../../src/engine/errors.js';
import { LocalEngine } from '../../../src/engine/local.js';
import { HEATMAP_PRESETS } from '../../../src/engine/metrics/heatmap.js';
import { getMetric, metricIds } from '../../../src/engine/metrics/index.js';
import { HEATMAP_PRESET_IDS, PARAM_SCHEMAS } from '../../../src/engine/metrics/params-schemas.js';
import { checkParams, validate } from '../../../src/engine/schema.js';
import type { JsonSchema } from '../../../src/engine/schema.js';

/** The example requests of docs/metrics.md: every ```json / ```jsonc block with a "metric". */
function documentedRequests(): Array<{ metric: string; params?: Record<string, unknown>; text: string }> {
  const md = readFileSync(new URL('../../../docs/metrics.md', import.meta.url), 'utf8');
  const out = [];
  for (const m of md.matchAll(/```jsonc?\n([\s\S]*?)```/g)) {
    const body = m[1]!;
    if (!body.includes('"metric"')) continue;
    // One request per block, or one per line (repayment_rate shows two).
    const chunks = body.trim().startsWith('{') && body.trim().split('\n').every((l) => l.startsWith('{')) ? body.trim().split('\n') : [body];
    for (const chunk of chunks) out.push({ ...parseJsonc(chunk), text: chunk });
  }
  return out;
}

/** JSON with line and block comments and trailing commas; `"…"` placeholders ("the bucket params as above") dropped. */
function parseJsonc(text: string): { metric: string; params?: Record<string, unknown> } {
  const noComments = text.replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (all, str: string | undefined) => str ?? '');
  const noPlaceholders = noComments.replace(/,?\s*"[A-Za-z]+":\s*"…"/g, '');
  const noTrailing = noPlaceholders.replace(/,(\s*[}\]])/g, '$1');
  return JSON.parse(noTrailing) as { metric: string; params?: Record<string, unknown> };
}

describe('metric params schemas', () => {
  it('every metric has a schema, published as getMetric(id).paramsSchema', () => {
    const ids = metricIds();
    expect(ids.length).toBeGreaterThanOrEqual(21);
    expect(Object.keys(PARAM_SCHEMAS).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const s = getMetric(id).paramsSchema;
      expect(s, id).toBe((PARAM_SCHEMAS as Record<string, JsonSchema>)[id]);
      expect(s.type, id).toBe('object');
      expect(s.$id, id).toBe(`finboard:metric/${id}/params`);
      // Every $ref resolves and no params at all is valid (every metric has defaults for all) — but
      // distinct needs a field and profile a group.
      const minimal = id === 'distinct' ? { field: 'region' } : id === 'profile' ? { group: { segment: 'important_value' } } : {};
      expect(validate(s, minimal), id).toBeNull();
      expect(() => JSON.stringify(s)).not.toThrow();
      expect(JSON.parse(JSON.stringify(s)), `${id} is plain JSON`).toEqual(s);
    }
  });

  it('every documented default conforms to its own property schema', () => {
    let n = 0;
    const walk = (s: JsonSchema, root: JsonSchema, where: string): void => {
      if (s.default !== undefined) {
        n++;
        expect(validate(s, s.default, root), `${where} default`).toBeNull();
      }
      for (const [k, p] of Object.entries(s.properties ?? {})) walk(p, root, `${where}.${k}`);
      for (const b of s.anyOf ?? []) walk(b, root, where);
    };
    for (const [id, s] of Object.entries(PARAM_SCHEMAS)) walk(s, s, id);
    expect(n).toBeGreaterThan(30);
  });

  it('heatmap presets in the schema are exactly the engine presets', () => {
    expect([...HEATMAP_PRESET_IDS].sort()).toEqual(Object.keys(HEATMAP_PRESETS).sort());
  });

  it('every example request in docs/metrics.md validates against its metric schema', () => {
    const reqs = documentedRequests();
    const metrics = new Set(reqs.map((r) => r.metric));
    // Every metric documented with a request example (distinct is described in prose only).
    expect(metrics.size).toBeGreaterThanOrEqual(20);
    for (const r of reqs) {
      const schema = getMetric(r.metric).paramsSchema;
      expect(validate(schema, r.params ?? {}), `${r.metric}: ${r.text.slice(0, 80)}`).toBeNull();
    }
  });

  it('rejects bad params with a JSON-pointer path to the offending value', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['kpi', { measure: { ratio: [{ agg: 'sum', field: 'paid' }, { agg: 'cnt' }] } }, '/measure/ratio/1/agg'],
      ['kpi', { compare: 'last-year' }, '/compare'],
      ['kpi', { period: { unit: 'fortnight' } }, '/period/unit'],
      ['kpi', { sparkline: { points: 0 } }, '/sparkline/points'],
      ['heatmap', { preset: 'contact-rate-hour' }, '/preset'],
      ['heatmap', { x: { part: 'hour' } }, '/x/field'],
      ['heatmap', { where: [{ field: 'region', op: 'like', value: '华%' }] }, '/where/0/op'],
      ['heatmap', { where: [{ field: 'dpd', op: 'range', value: [1] }] }, '/where/0/value'],
      ['funnel', { stages: ['visit', 'visit'] }, '/stages'],
      ['funnel', { windowDays: 0 }, '/windowDays'],
      ['overdue_rate', { k: 'M3' }, '/k'],
      ['overdue_rate', { lag: 1.5 }, '/lag'],
      ['rfm', { rules: [{ segment: 'vip', r: [4] }] }, '/rules/0/r'],
      ['txn_alerts', { rules: ['cash', 'smurfing'] }, '/rules/1'],
      ['dpd_buckets', { edges: [0, 30, '60'] }, '/edges/2'],
      ['distinct', {}, '/field'],
      ['vintage', { variant: 'worst' }, '/variant'],
    ];
    for (const [metric, params, path] of cases) {
      let err: unknown;
      try {
        checkParams(metric, getMetric(metric).paramsSchema, params);
      } catch (e) {
        err = e;
      }
      expect(err, `${metric} ${JSON.stringify(params)}`).toBeInstanceOf(FinError);
      const fe = err as FinError;
      expect(fe.code).toBe('bad_params');
      expect(fe.details.path, `${metric} ${JSON.stringify(params)}: ${fe.message}`).toBe(path);
      expect(fe.details.metric).toBe(metric);
      expect(fe.message).toContain(metric);
    }
  });

  it('keeps accepting what the metrics accept: nulls for defaults, unknown keys, the elements’ extra keys', () => {
    const ok: Array<[string, Record<string, unknown>]> = [
      ['overdue_rate', { k: null, lag: null, by: null, edges: null, labels: null }],
      ['roll_rate', { t0: null, t1: '2024-06' }],
      ['dpd_buckets', { month: 'latest' }],
      ['kpi', { sparkline: false, compare: { range: ['2024-01-01', '2024-01-31'] } }],
      ['kpi', { series: { metric: 'cure_rate', where: { bucket: 'M1+' } }, direction: 'lower-is-better' }],
      ['heatmap', { preset: 'txn-weekday-hour', x: { field: 'amount', bins: { thresholds: [100, 200] } } }],
      ['sankey', { middle: null }],
      ['rfm', { scheme: 'rf10', someFutureKey: 1 }],
      ['cohort', { threshold: 30 }],
    ];
    for (const [metric, params] of ok) expect(validate(getMetric(metric).paramsSchema, params), metric).toBeNull();
  });

  it('the engine answers bad params with bad_params and the path, before reading any data', async () => {
    const engine = new LocalEngine();
    const err = await engine
      .query({ metric: 'heatmap', params: { measure: { ratio: [{ agg: 'sum' }, { agg: 'avg' }] } } })
      .then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(FinError);
    expect((err as FinError).code).toBe('bad_params');
    expect((err as FinError).details).toMatchObject({ path: '/measure/ratio/1/agg', param: 'measure.ratio.1.agg', value: 'avg' });
    // Valid params go on to the data (here: none loaded).
    const missing = await engine.query({ metric: 'heatmap', params: { preset: 'txn-weekday-hour' } }).then(() => null, (e: unknown) => e);
    expect((missing as FinError).code).toBe('missing_dataset');
  });

  it('src/engine/params.generated.ts is up to date with the schemas', () => {
    const expected = (renderParamTypes as (s: unknown) => string)(PARAM_SCHEMAS);
    const current = readFileSync(OUT as string, 'utf8');
    expect(current === expected, 'stale: run node scripts/gen-param-types.mjs').toBe(true);
    for (const id of metricIds()) expect(current).toContain(`  ${id}: `);
  });
});

describe('validate', () => {
  it('names every alternative when they all fail at the same place', () => {
    const issue = validate(getMetric('heatmap').paramsSchema, { where: [{ field: 'region', op: 'like', value: 'x' }] });
    expect(issue?.path).toBe('/where/0/op');
    expect(issue?.message).toBe('must be "eq", or "in", or "range"');
  });

  it('escapes ~ and / in JSON pointers', () => {
    const s: JsonSchema = { type: 'object', properties: { 'a/b~c': { type: 'number' } } };
    expect(validate(s, { 'a/b~c': 'x' })?.path).toBe('/a~1b~0c');
  });
});
