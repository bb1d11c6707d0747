/**
 * Malformed data, headless half (issue 8): 1,200 seeded hostile datasets (test/fixtures/bad-data.ts)
 * through ingestion in every input form, the quality report compared with an independent oracle,
 * then every metric that reads the dataset run on what was kept. Figures are printed as one line each.
 *
 * The browser half (elements in Chromium) is test/browser/reliability/malformed.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ingestSync } from '../../../src/data/ingest.js';
import type { Dataset } from '../../../src/data/dataset.js';
import { generateSample } from '../../../src/data/sample.js';
import { MetricContext } from '../../../src/engine/context.js';
import { FinError } from '../../../src/engine/errors.js';
import { getMetric } from '../../../src/engine/metrics/index.js';
import type { FilterClause, MetricResult, QueryRequest } from '../../../src/engine/types.js';
import { badDataset, diffReport, METRIC_REQUESTS as REQUESTS } from '../../fixtures/bad-data.js';
import type { BadDatasetName } from '../../fixtures/bad-data.js';

const SEEDS = 1200;

/** Filters some runs add: real fields, odd names, open ranges, prototype keys as values. */
const FILTERS: FilterClause[][] = [
  [],
  [{ field: 'region', op: 'in', value: ['华东', '__proto__'] }],
  [{ field: '__proto__', op: 'eq', value: 'x' }],
  [{ field: 'constructor', op: 'in', value: [null, 'toString'] }],
  [{ field: 'snapshot_date', op: 'range', value: ['2023-03', null] }],
  [{ field: 'txn_time', op: 'range', value: [null, '2024-02-30'] }],
  [{ field: 'amount', op: 'range', value: [0, 1e308] }],
];

type Outcome = 'ok' | 'partial' | 'empty' | 'error' | 'crash';

/** The engine's query path without its error wrapper, so a crash inside a metric stays visible. */
function runQuery(datasets: Map<string, Dataset>, req: QueryRequest): MetricResult {
  const def = getMetric(req.metric);
  const ctx = new MetricContext(datasets, req.filters ?? [], new Map());
  ctx.runMetric = (metric, params, source) =>
    runQuery(datasets, {
      metric,
      params: params ?? {},
      filters: req.filters ?? [],
      ...(source ? { source } : {}),
    });
  return def.run(ctx, (req.params ?? {}) as never, req.source ?? def.source) as MetricResult;
}

function outcomeOf(r: MetricResult): Outcome {
  if (r.data.length === 0) return 'empty';
  const excluded = Object.values(r.quality?.excluded ?? {}).reduce((a, b) => a + b, 0);
  return excluded > 0 || (r.quality?.warnings?.length ?? 0) > 0 ? 'partial' : 'ok';
}

/** Paths of numbers that JSON cannot carry (NaN, ±Infinity). */
function nonFinite(v: unknown, path: string, out: string[]): void {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) out.push(`${path}=${v}`);
  } else if (Array.isArray(v)) v.forEach((x, i) => nonFinite(x, `${path}[${i}]`, out));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) nonFinite(x, `${path}.${k}`, out);
}

interface Run {
  seed: number;
  name: BadDatasetName;
  format: string;
  loaded: boolean;
  reportMatches: boolean;
  diff: string[];
  queries: Array<{ metric: string; outcome: Outcome; code?: string; crash?: string; nonFinite: string[] }>;
}

const protoKeysBefore = Object.getOwnPropertyNames(Object.prototype).sort().join();

function companions(): Map<string, Dataset> {
  const sample = generateSample({ customers: 40 });
  const out = new Map<string, Dataset>();
  for (const [k, v] of Object.entries(sample)) out.set(k, ingestSync(k, v as never).dataset);
  return out;
}

function runSeed(seed: number, base: Map<string, Dataset>): Run {
  const d = badDataset(seed);
  const run: Run = {
    seed,
    name: d.name,
    format: d.format,
    loaded: false,
    reportMatches: false,
    diff: [],
    queries: [],
  };
  let dataset: Dataset | null = null;
  try {
    const { dataset: ds, report } = ingestSync(d.name, d.input as never, { fields: d.fields });
    dataset = ds;
    run.loaded = true;
    run.diff = d.expected.error
      ? [`expected ${d.expected.error}, got a report`]
      : diffReport(d.expected, report);
  } catch (e) {
    const code = (e as FinError).code;
    run.diff = d.expected.error === code ? [] : [`load threw ${code ?? ''} ${(e as Error).message}`];
  }
  run.reportMatches = run.diff.length === 0;
  if (!dataset) return run;
  // The hostile dataset replaces its own name; the others are the valid seeded sample (ids that do
  // not match: joins that find nothing are one more kind of bad data).
  const datasets = new Map(base);
  datasets.set(d.name, dataset);
  for (const req0 of REQUESTS[d.name]) {
    const req = { ...req0, filters: FILTERS[seed % FILTERS.length]! };
    const q: Run['queries'][number] = { metric: req.metric, outcome: 'ok', nonFinite: [] };
    try {
      const r = runQuery(datasets, req);
      q.outcome = outcomeOf(r);
      nonFinite(r, req.metric, q.nonFinite);
    } catch (e) {
      if (e instanceof FinError) {
        q.outcome = 'error';
        q.code = e.code;
      } else {
        q.outcome = 'crash';
        q.crash = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      }
    }
    run.queries.push(q);
  }
  return run;
}

describe('malformed data: ingestion and metrics (1,200 seeds)', () => {
  const base = companions();
  const runs: Run[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) runs.push(runSeed(seed, base));
  const queries = runs.flatMap((r) => r.queries.map((q) => ({ ...q, seed: r.seed })));
  const by = (o: Outcome): number => queries.filter((q) => q.outcome === o).length;

  it('quality report counts equal the injected bad values, in every input form', () => {
    const mismatched = runs.filter((r) => !r.reportMatches);
    const injected = runs.reduce((a, r) => a + (badDataset(r.seed).injected || 0), 0);
    console.log(
      `malformed(node): ${runs.length} datasets (${injected} bad values injected), quality counts match ` +
        `${runs.length - mismatched.length}/${runs.length}`,
    );
    expect(mismatched.map((r) => `seed ${r.seed} ${r.name}/${r.format}: ${r.diff.join('; ')}`)).to.deep.equal(
      [],
    );
  });

  it('every metric run ends in ok / partial / empty / a typed error: 0 crashes', () => {
    console.log(
      `malformed(node): ${queries.length} metric runs, ${by('crash')} uncaught — ok ${by('ok')}, partial ${by('partial')}, ` +
        `empty ${by('empty')}, typed error ${by('error')}`,
    );
    expect(queries.length).to.be.greaterThan(1000);
    expect(
      queries.filter((q) => q.outcome === 'crash').map((q) => `seed ${q.seed} ${q.metric}: ${q.crash}`),
    ).to.deep.equal([]);
  });

  it('results are plain JSON: no NaN or ±Infinity (they differ in-thread, in a worker and over HTTP)', () => {
    const bad = queries.filter((q) => q.nonFinite.length);
    const metrics = [...new Set(bad.map((q) => q.metric))].sort();
    console.log(
      `malformed(node): ${bad.length}/${queries.length} metric results carry NaN/±Infinity` +
        (bad.length ? ` (${metrics.join(', ')}; e.g. seed ${bad[0]!.seed} ${bad[0]!.nonFinite[0]})` : ''),
    );
    // one example per metric, with how many results of that metric are affected
    const examples = metrics.map((m) => {
      const of = bad.filter((q) => q.metric === m);
      return `${m} ×${of.length}: seed ${of[0]!.seed} ${of[0]!.nonFinite.slice(0, 2).join(', ')}`;
    });
    expect(examples).to.deep.equal([]);
  });

  it('leaves Object.prototype untouched (keys named __proto__ / constructor in data and filters)', () => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort().join()).to.equal(protoKeysBefore);
    expect(({} as Record<string, unknown>)['x']).to.equal(undefined);
  });

  it('covers every trait of the generator', () => {
    const traits = new Set(
      runs.flatMap((r) => badDataset(r.seed).traits.map((t) => t.replace(/^inject:.*/, 'inject'))),
    );
    for (const t of [
      'format:rows',
      'format:arrays',
      'format:columnar',
      'format:csv',
      'format:json',
      'rows:0',
      'rows:1',
      'rows:n',
      'all-null:optional',
      'all-null:required',
      'null-rows',
      'duplicates',
      'unsorted',
      'fields-mapping',
      'odd-keys',
      'missing-required-column',
      'bool:0/1',
      'inject',
    ])
      expect(traits.has(t), t).to.equal(true);
  });
});

describe('malformed data: 100k rows', () => {
  for (const format of ['rows', 'csv', 'columnar'] as const) {
    it(`counts exactly on 100,000 loan_months rows given as ${format}`, () => {
      const d = badDataset(7, { name: 'loan_months', format, rows: 100_000 });
      const t0 = performance.now();
      const { report, dataset } = ingestSync(d.name, d.input as never, { fields: d.fields });
      const ms = performance.now() - t0;
      const r = runQuery(new Map([['loan_months', dataset]]), { metric: 'dpd_buckets' });
      console.log(
        `malformed(node): 100k ${format}: ingest ${ms.toFixed(0)} ms, ${report.rowsRejected} rejected, dpd_buckets ${r.data.length} rows`,
      );
      expect(diffReport(d.expected, report)).to.deep.equal([]);
    });
  }
});

describe('malformed data: regressions found by the generator', () => {
  it('reads a blank cell of a 0/1 boolean CSV column as missing, not as an unparseable value', () => {
    const csv =
      'action_id,collector_id,action_time,channel,contacted\r\n' +
      'A1,C1,2024-01-01 10:00:00,sms,1\r\nA2,C1,2024-01-01 11:00:00,sms,\r\nA3,C1,2024-01-01 12:00:00,sms,0\r\n';
    const { report, dataset } = ingestSync('collection_actions', csv);
    expect(report.coerced).to.deep.equal({});
    expect(Array.from((dataset.cols.contacted as { data: Int8Array }).data)).to.deep.equal([1, -1, 0]);
  });

  it('reads NaN in a Float64Array boolean column as missing (the typed-array missing marker)', () => {
    const { report } = ingestSync('collection_actions', {
      action_id: ['A1', 'A2'],
      collector_id: ['C1', 'C1'],
      action_time: ['2024-01-01', '2024-01-02'],
      channel: ['sms', 'sms'],
      contacted: new Float64Array([1, NaN]),
    });
    expect(report.coerced).to.deep.equal({});
  });
});
