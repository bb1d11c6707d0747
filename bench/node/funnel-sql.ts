/**
 * Strict `funnel` on DuckDB vs memory over the seeded sample (bench/funnel-sql.mjs bundles and runs
 * this; one run per figure, after one warm-up run). Prints, per sample size and funnel variant, the
 * rows the DuckDB backend's queries return to JS (largest query and all queries) and the ms of
 * each backend: `VALUE` and `RATIO` lines (bench/lib/stats.ts), `INFO` for the sizes.
 */
import { DuckDBConnection } from '@duckdb/node-api';
import type { IngestInput } from '../../src/data/ingest.js';
import { generateSample } from '../../src/data/sample.js';
import type { Backend } from '../../src/server/backend.js';
import { duckdbBackend } from '../../src/server/duckdb.js';
import { memoryBackend } from '../../src/server/memory.js';
import { emit, now, ratioFigure, valueFigure } from '../lib/stats.js';

const STAGES = ['曝光', '点击', '注册', '申请', '审批通过', '放款'];
const VARIANTS: Record<string, Record<string, unknown>> = {
  strict: { stages: STAGES },
  'strict-window-channel': { stages: STAGES, windowDays: 2, breakdown: 'channel' },
};

// Rows each DuckDB query hands to JS (the backend reads every answer with `runAndReadAll`).
const seen = { rows: 0, max: 0 };
const proto = DuckDBConnection.prototype as unknown as {
  runAndReadAll(...a: unknown[]): Promise<{ currentRowCount: number }>;
};
const runAndReadAll = proto.runAndReadAll;
proto.runAndReadAll = async function (this: unknown, ...a: unknown[]) {
  const r = await runAndReadAll.apply(this, a);
  seen.rows += r.currentRowCount;
  seen.max = Math.max(seen.max, r.currentRowCount);
  return r;
};

// Each query new (a clause every event meets, a different bound each time): no backend answers
// from a result cache.
let fresh = 0;
const query = (b: Backend, params: Record<string, unknown>) =>
  b.query({
    metric: 'funnel',
    params,
    filters: [
      { field: 'event_time', op: 'range', value: [null, `2100-01-${String(++fresh).padStart(2, '0')}`] },
    ],
  });

async function timed(b: Backend, params: Record<string, unknown>): Promise<number> {
  await query(b, params); // warm-up
  seen.rows = 0;
  seen.max = 0;
  const t0 = now();
  await query(b, params);
  return now() - t0;
}

const sizes = (process.argv[2] ?? '5000,50000').split(',').map(Number);
for (const customers of sizes) {
  const s = generateSample({ customers });
  const ev = s.funnel_events as unknown as Record<string, unknown[]>;
  const users = new Set(ev.user_id).size;
  console.log(`INFO ${customers} customers: ${ev.user_id!.length} funnel events, ${users} users`);
  const mem = memoryBackend();
  const duck = await duckdbBackend();
  for (const b of [mem, duck]) {
    await b.load('funnel_events', s.funnel_events as unknown as IngestInput);
    await b.load('campaign_spend', s.campaign_spend as unknown as IngestInput);
  }
  for (const [name, params] of Object.entries(VARIANTS)) {
    const msD = await timed(duck, params);
    const { rows, max } = seen;
    const msM = await timed(mem, params);
    const tag = `funnel ${name} @${customers}`;
    emit(valueFigure(`${tag} rows to JS, largest query`, [max], 'rows'));
    emit(valueFigure(`${tag} rows to JS, all queries`, [rows], 'rows'));
    emit(valueFigure(`${tag} DuckDB`, [msD], 'ms'));
    emit(valueFigure(`${tag} memory`, [msM], 'ms'));
    emit(ratioFigure(`${tag} DuckDB / memory`, [msD], [msM]));
  }
  await duck.close();
}
