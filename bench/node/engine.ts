/**
 * Node benchmarks of the headless engine on the seeded sample at one size (`--rows`):
 * cold-collection, kernel-<metric>, interaction, ingest, and the load / cold-compute times that
 * `scaling` compares across sizes. Bundled by bench/run.mjs with esbuild straight from src/ and run
 * as `node bench/.out/engine.mjs --rows 1000000 --reps 7`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { generateSample, sampleOptionsForLoanMonths } from '../../src/data/sample.js';
import type { SampleData } from '../../src/data/sample.js';
import type { Column, Dataset } from '../../src/data/dataset.js';
import { MetricContext } from '../../src/engine/context.js';
import type { PrepareInfo } from '../../src/engine/cube.js';
import { LocalEngine } from '../../src/engine/local.js';
import { getMetric } from '../../src/engine/metrics/index.js';
import type { FilterClause, MetricResult, QueryRequest } from '../../src/engine/types.js';
import { arqueroCollection, arqueroLoad } from '../lib/arquero-collection.js';
import { datasetToArrow, sampleToArrow } from '../lib/arrow.js';
import { COLLECTION_DATASETS, dashboardRequests } from '../lib/collection.js';
import {
  bucketTrendKernel,
  checkBucketTrend,
  checkCohort,
  checkRfm,
  checkVintage,
  cohortKernel,
  loanRowIndex,
  rfmKernel,
  vintageKernel,
} from '../lib/kernels.js';
import {
  alternate,
  emit,
  median,
  now,
  quantile,
  ratioFigure,
  skipFigure,
  valueFigure,
} from '../lib/stats.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const ROWS = Number(args.get('rows') ?? 100000);
const REPS = Math.max(7, Number(args.get('reps') ?? 7));
const ONLY = new Set((args.get('only') ?? 'cold,kernel,interaction,ingest').split(','));
const TAG = ROWS >= 1e6 ? '1M' : ROWS >= 1e3 ? `${Math.round(ROWS / 1e3)}k` : String(ROWS);
const gc = (globalThis as { gc?: () => void }).gc;
const between = (): void => gc?.();

function info(msg: string): void {
  console.log(`INFO ${msg}`);
}

function meta(key: string, value: unknown): void {
  console.log(`@@META ${JSON.stringify({ key, value })}`);
}

// --- data --------------------------------------------------------------------------------------

const t = now();
const sample: SampleData = generateSample(sampleOptionsForLoanMonths(ROWS));
const genMs = now() - t;
const counts = Object.fromEntries(
  Object.entries(sample).map(([k, v]) => [k, (Object.values(v)[0] as unknown[]).length]),
);
info(`${TAG}: sample generated in ${genMs.toFixed(0)} ms: ${JSON.stringify(counts)}`);
meta(`rows@${TAG}`, counts);

const requests = dashboardRequests();

async function loadInto(engine: LocalEngine, names: readonly string[]): Promise<void> {
  for (const name of names) await engine.load(name, sample[name as keyof SampleData] as never);
}

function runAll(engine: LocalEngine, reqs: QueryRequest[]): MetricResult[] {
  return reqs.map((r) => engine.querySync(r));
}

// --- cold-collection ---------------------------------------------------------------------------

const SCALE_FROM = args.get('scale-from') ? Number(args.get('scale-from')) : null;

/** Fresh engine: load the collection datasets, then every widget's request. Returns [load, compute] ms. */
async function oursCold(data: SampleData): Promise<[number, number]> {
  const engine = new LocalEngine();
  const t0 = now();
  for (const name of COLLECTION_DATASETS) await engine.load(name, data[name] as never);
  const t1 = now();
  for (const r of requests) engine.querySync(r);
  const t2 = now();
  engine.dispose();
  return [t1 - t0, t2 - t1];
}

if (ONLY.has('cold')) {
  // Arms, rotated every rep: ours at this size, Arquero at this size, and (for `scaling`) ours at
  // the small size, so that load drift hits all three alike.
  const small = SCALE_FROM ? generateSample(sampleOptionsForLoanMonths(SCALE_FROM)) : null;
  const raw = {
    loans: sample.loans,
    loan_months: sample.loan_months,
    collection_actions: sample.collection_actions,
  } as never;
  const ours: number[] = [];
  const aqMs: number[] = [];
  const load: number[] = [];
  const compute: number[] = [];
  const sLoad: number[] = [];
  const sCompute: number[] = [];
  let produced = 0;
  const arms: Array<() => Promise<void>> = [
    async () => {
      const [l, c] = await oursCold(sample);
      load.push(l);
      compute.push(c);
      ours.push(l + c);
    },
    async () => {
      const t1 = now();
      const res = arqueroCollection(arqueroLoad(raw));
      aqMs.push(now() - t1);
      produced += Object.keys(res).length;
    },
  ];
  if (small) {
    arms.push(async () => {
      const [l, c] = await oursCold(small);
      sLoad.push(l);
      sCompute.push(c);
    });
  }
  // Warm-up (JIT), dropped below: every arm at 100k; at 1M only ours (on the small sample when
  // there is one) — Arquero's first 1M run costs ~10 s and its JIT warm-up is a rounding error.
  if (ROWS < 1e6) for (const arm of arms) await arm();
  else await (arms[2] ?? arms[0]!)();
  for (const xs of [ours, aqMs, load, compute, sLoad, sCompute]) xs.length = 0;
  for (let r = 0; r < REPS; r++) {
    for (let j = 0; j < arms.length; j++) {
      between();
      await arms[(r + j) % arms.length]!();
    }
  }
  emit(
    ratioFigure(
      `cold-collection@${TAG}`,
      ours,
      aqMs,
      '<= 0.33',
      'ours: ingest + every collection widget query / Arquero verbs over the raw rows',
    ),
  );
  emit(valueFigure(`cold-collection-ours@${TAG}`, ours, 'ms'));
  emit(valueFigure(`cold-collection-arquero@${TAG}`, aqMs, 'ms'));
  emit(
    valueFigure(
      `load@${TAG}`,
      load,
      'ms',
      undefined,
      'ingest of loans + loan_months + collection_actions from columnar rows',
    ),
  );
  emit(
    valueFigure(
      `cold-compute@${TAG}`,
      compute,
      'ms',
      undefined,
      `${requests.length} collection requests on a fresh load`,
    ),
  );
  if (small) {
    const st = SCALE_FROM! >= 1e3 ? `${Math.round(SCALE_FROM! / 1e3)}k` : String(SCALE_FROM);
    emit(
      ratioFigure(
        `scaling-load-${TAG}/${st}`,
        load,
        sLoad,
        '<= 12',
        `load time at ${TAG} / at ${st} (rows ×${(ROWS / SCALE_FROM!).toFixed(0)})`,
      ),
    );
    emit(
      ratioFigure(
        `scaling-cold-compute-${TAG}/${st}`,
        compute,
        sCompute,
        '<= 12',
        `cold compute at ${TAG} / at ${st}`,
      ),
    );
  }
  if (!produced) info('arquero produced nothing');
}

// --- kernels -----------------------------------------------------------------------------------

if (ONLY.has('kernel')) {
  const engine = new LocalEngine();
  await loadInto(engine, ['customers', 'loans', 'loan_months', 'transactions']);
  const ds = new Map<string, Dataset>();
  for (const n of ['customers', 'loans', 'loan_months', 'transactions']) ds.set(n, engine.dataset(n)!);
  // One join cache for every run, as the engine keeps per load: joins are load-time work.
  const joins = new Map<string, Map<string, Column | null>>();
  const ours = (metric: string, params: Record<string, unknown>): MetricResult => {
    const def = getMetric(metric);
    const ctx = new MetricContext(ds, [], joins);
    return def.run(ctx, params as never, def.source) as MetricResult;
  };
  const lm = ds.get('loan_months')!;
  const loans = ds.get('loans')!;
  const tx = ds.get('transactions')!;
  const loanRow = loanRowIndex(lm, loans);
  const cases: Array<{
    name: string;
    metric: string;
    params: Record<string, unknown>;
    kernel: () => unknown;
    check: (k: never, r: MetricResult) => string | null;
  }> = [
    {
      name: 'bucket_trend',
      metric: 'bucket_trend',
      params: {},
      kernel: () => bucketTrendKernel(lm),
      check: checkBucketTrend as never,
    },
    {
      name: 'cohort',
      metric: 'cohort',
      params: { unit: 'month' },
      kernel: () => cohortKernel(tx),
      check: checkCohort as never,
    },
    {
      name: 'vintage',
      metric: 'vintage',
      params: { d: 30 },
      kernel: () => vintageKernel(lm, loans, loanRow, 30),
      check: checkVintage as never,
    },
    { name: 'rfm', metric: 'rfm', params: {}, kernel: () => rfmKernel(tx), check: checkRfm as never },
  ];
  for (const c of cases) {
    const problem = c.check(c.kernel() as never, ours(c.metric, c.params));
    if (problem) info(`kernel-${c.name}@${TAG}: OUTPUT MISMATCH: ${problem}`);
    else info(`kernel-${c.name}@${TAG}: outputs equal`);
    const r = await alternate(REPS, () => ours(c.metric, c.params), c.kernel, {
      warmup: 2,
      between,
      minSampleMs: 50,
    });
    emit(
      ratioFigure(
        `kernel-${c.name}@${TAG}`,
        r.a,
        r.b,
        '<= 4',
        `ours ${median(r.a).toFixed(1)} ms vs typed loop ${median(r.b).toFixed(1)} ms`,
      ),
    );
  }
  engine.dispose();
}

// --- interaction -------------------------------------------------------------------------------

if (ONLY.has('interaction')) {
  const engine = new LocalEngine();
  await loadInto(engine, COLLECTION_DATASETS);
  let t0 = now();
  runAll(engine, requests);
  info(`interaction@${TAG}: first (cold) dashboard compute ${(now() - t0).toFixed(0)} ms`);
  const loans = engine.dataset('loans')!;
  const regions = (loans.cols['region'] as { dict: string[] }).dict.slice().sort();
  const products = (loans.cols['product'] as { dict: string[] }).dict.slice().sort();
  // The cube for the dashboard's filter dimensions, built once per load (as the dashboard does).
  const prepare = (engine as unknown as { prepare?: (o: object) => Promise<unknown> }).prepare;
  if (prepare) {
    t0 = now();
    const cpu0 = process.cpuUsage();
    const built = (await prepare.call(engine, { requests, dimensions: ['region', 'product'] })) as PrepareInfo;
    const buildMs = now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    // Phase breakdown (docs/performance.md, "The first fast click"): per dimension set, its stage's
    // time and its time per value combination; CPU time next to wall time, because on a loaded
    // machine the wall clock mostly measures the other processes.
    const valuesOf: Record<string, number> = { region: regions.length, product: products.length };
    let prev = { cells: 0, ms: 0 };
    for (const st of built.stages ?? []) {
      const combos = (st.set ?? []).reduce((p, d) => p * (valuesOf[d] ?? 1), 1);
      info(
        `cube@${TAG}: stage ${(st.set ?? []).join('×')} ${st.ms - prev.ms} ms (${st.cells - prev.cells} cells, ` +
          `${((st.ms - prev.ms) / combos).toFixed(0)} ms per value, ${((st.ms - prev.ms) / Math.max(1, st.cells - prev.cells)).toFixed(1)} ms per cell) done at ${st.ms} ms`,
      );
      prev = st;
    }
    const first = built.stages?.[0];
    emit(
      valueFigure(
        `cube-build@${TAG}`,
        [buildMs],
        'ms',
        undefined,
        `per load: widget results per region and per product cell and pair; ${cpuMs.toFixed(0)} ms CPU`,
      ),
    );
    emit(valueFigure(`cube-build-cpu@${TAG}`, [cpuMs], 'ms', undefined, 'CPU time of the whole build (user + system): the figure a loaded machine inflates least'));
    if (first)
      emit(
        valueFigure(
          `cube-first-dimension@${TAG}`,
          [first.ms],
          'ms',
          undefined,
          `build start → every request's ${(first.set ?? []).join('×')} cells (${first.cells} cells): from then on a click on that filter is a look-up`,
        ),
      );
  } else emit(skipFigure(`cube-build@${TAG}`, 'engine has no prepare()'));
  // A sequence of distinct cross-filter states (never repeated: no result-cache hits).
  const states: FilterClause[][] = [];
  for (const r of regions) states.push([{ field: 'region', op: 'in', value: [r] }]);
  for (const p of products) states.push([{ field: 'product', op: 'in', value: [p] }]);
  for (const r of regions)
    for (const p of products)
      states.push([
        { field: 'region', op: 'in', value: [r] },
        { field: 'product', op: 'in', value: [p] },
      ]);
  // B: one full typed-array scan of the raw rows (Σ outstanding by month × bucket for one region).
  const lm = engine.dataset('loan_months')!;
  const regionOfRow = (() => {
    const rc = loans.cols['region'] as { codes: Int32Array };
    const byLoan = loanRowIndex(lm, loans);
    const lc = (lm.cols['loan_id'] as { codes: Int32Array }).codes;
    const out = new Int32Array(lm.n);
    for (let i = 0; i < lm.n; i++) out[i] = byLoan[lc[i]!]! < 0 ? -1 : rc.codes[byLoan[lc[i]!]!]!;
    return out;
  })();
  const month = (lm.cols['snapshot_date'] as { month: Int32Array }).month;
  const dpd = (lm.cols['dpd'] as { data: Float64Array }).data;
  const outst = (lm.cols['outstanding'] as { data: Float64Array }).data;
  let sink = 0;
  const scan = (region: number): void => {
    const acc = new Float64Array(64 * 8);
    for (let i = 0; i < lm.n; i++) {
      if (regionOfRow[i] !== region) continue;
      const d = dpd[i]!;
      const b =
        d < 1 ? 0 : d < 31 ? 1 : d < 61 ? 2 : d < 91 ? 3 : d < 121 ? 4 : d < 151 ? 5 : d < 181 ? 6 : 7;
      acc[((month[i]! & 63) << 3) | b]! += outst[i]!;
    }
    sink += acc[0]!;
  };
  let k = 0;
  const taken: number[] = [];
  const r = await alternate(
    Math.max(REPS, 20),
    () => {
      const f = states[k++ % states.length]!;
      const t1 = now();
      runAll(
        engine,
        requests.map((q) => ({ ...q, filters: [...(q.filters ?? []), ...f] })),
      );
      taken.push(now() - t1);
    },
    (rep) => scan(rep % Math.max(1, regions.length)),
    { warmup: 0 },
  );
  emit(
    ratioFigure(
      `interaction@${TAG}`,
      r.a,
      r.b,
      '<= 0.5',
      `${requests.length} widget queries on one cross-filter change / one typed scan of loan_months`,
    ),
  );
  emit(
    valueFigure(
      `interaction-p95@${TAG}`,
      [quantile(taken, 0.95)],
      'ms',
      undefined,
      `p95 over ${taken.length} distinct cross-filter states`,
    ),
  );
  // The raw path for a clause the cube does not cover (a multi-value selection).
  const raw: number[] = [];
  for (let i = 0; i < 3; i++) {
    const f: FilterClause[] = [
      {
        field: 'region',
        op: 'in',
        value: [regions[i % regions.length]!, regions[(i + 1) % regions.length]!],
      },
    ];
    const t1 = now();
    runAll(
      engine,
      requests.map((q) => ({ ...q, filters: [...(q.filters ?? []), ...f] })),
    );
    raw.push(now() - t1);
  }
  emit(
    valueFigure(
      `interaction-uncubed@${TAG}`,
      raw,
      'ms',
      undefined,
      'two-region selection: raw path (no cube cell)',
    ),
  );
  if (sink === 0.5) info('');
  engine.dispose();
}

// --- Arrow files for the browser benchmarks ------------------------------------------------------

const arrowOut = args.get('arrow-out');
if (arrowOut) {
  mkdirSync(arrowOut, { recursive: true });
  const files = sampleToArrow(sample, [
    'customers',
    'loans',
    'loan_months',
    'collection_actions',
    'transactions',
  ]);
  for (const [name, bytes] of Object.entries(files)) writeFileSync(`${arrowOut}/${name}.arrow`, bytes);
  info(`arrow files for the browser written to ${arrowOut}`);
}

// --- ingest ------------------------------------------------------------------------------------

if (ONLY.has('ingest')) {
  // The host hands over bytes or text, not a million-row JS object graph: build the Arrow IPC
  // (bench/lib/arrow.ts) and the CSV text, then drop the sample (its strings would make every
  // garbage collection in the timed region pay for them).
  const build = (): { arrow: Uint8Array; csv: string; n: number } => {
    const lmRaw = sample.loan_months as Record<string, unknown[]>;
    const names = Object.keys(lmRaw);
    const rows = lmRaw['loan_id']!.length;
    const lines: string[] = [names.join(',')];
    for (let i = 0; i < rows; i++) {
      let s = '';
      for (let c = 0; c < names.length; c++) {
        const v = lmRaw[names[c]!]![i];
        s += (c ? ',' : '') + (v === null || v === undefined ? '' : String(v));
      }
      lines.push(s);
    }
    return { arrow: datasetToArrow('loan_months', lmRaw), csv: `${lines.join('\n')}\n`, n: rows };
  };
  const { arrow, csv, n } = build();
  for (const k of Object.keys(sample)) delete (sample as Partial<SampleData>)[k as keyof SampleData];
  gc?.();
  const csvBytes = Buffer.byteLength(csv);
  info(
    `ingest@${TAG}: ${n} loan_months rows; Arrow IPC ${(arrow.byteLength / 1e6).toFixed(1)} MB, CSV ${(csvBytes / 1e6).toFixed(1)} MB`,
  );
  const csvMs: number[] = [];
  let loaded: Dataset | undefined;
  const r = await alternate(
    REPS,
    async () => {
      const e = new LocalEngine();
      await e.load('loan_months', arrow);
      loaded = e.dataset('loan_months');
    },
    async () => {
      const e = new LocalEngine();
      const t1 = now();
      await e.load('loan_months', csv);
      csvMs.push(now() - t1);
    },
    { warmup: 1, between },
  );
  csvMs.splice(0, csvMs.length - REPS);
  emit(
    ratioFigure(
      `ingest-arrow-vs-csv@${TAG}`,
      r.a,
      r.b,
      '<= 0.2',
      'Arrow IPC load time / CSV load time (goal: Arrow ≥ 5× faster)',
    ),
  );
  emit(
    valueFigure(
      `ingest-csv-throughput@${TAG}`,
      csvMs.map((ms) => csvBytes / 1e6 / (ms / 1000)),
      'MB/s',
      '>= 30',
    ),
  );
  emit(valueFigure(`ingest-arrow@${TAG}`, r.a, 'ms'));
  emit(valueFigure(`ingest-csv@${TAG}`, r.b, 'ms'));
  if (loaded) {
    let bytes = 0;
    const seen = new Set<unknown>();
    for (const col of Object.values(loaded.cols)) {
      for (const v of Object.values(col)) {
        // A view keeps its whole buffer alive: adopted Arrow columns count the IPC bytes they
        // view, once, in full.
        if (ArrayBuffer.isView(v) && !seen.has(v.buffer)) {
          seen.add(v.buffer);
          bytes += v.buffer.byteLength;
        } else if (Array.isArray(v)) {
          // dictionary strings: UTF-16 code units + a pointer each
          for (const s of v as string[]) bytes += 2 * s.length + 8;
        }
      }
    }
    emit(
      valueFigure(
        `bytes-per-row@${TAG}`,
        [bytes / loaded.n],
        'B',
        '<= 80',
        'loaded loan_months from Arrow: retained buffers (an adopted IPC buffer counted whole, once) + dictionary strings',
      ),
    );
  }
}
