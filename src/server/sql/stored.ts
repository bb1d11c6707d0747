/**
 * What the SQL backends share around their engines: the layout of a stored dataset (generated
 * column ids, the facts the compiled metrics read from JS: status values, unique keys) and the
 * query driver (metric lookup, `unsupported` for metrics not compiled, the scope, the answer's
 * finishing). A backend brings only its engine: how to store rows and how to run one fragment.
 */
import type { Dataset } from '../../data/dataset.js';
import type { DataQualityReport } from '../../data/ingest.js';
import { FinError } from '../../engine/errors.js';
import { withLoadQuality } from '../../engine/load-quality.js';
import { wrap } from '../../engine/local.js';
import { getMetric } from '../../engine/metrics/index.js';
import { checkParams } from '../../engine/schema.js';
import type { MetricResult, QueryRequest } from '../../engine/types.js';
import type { DatasetInfo } from '../../engine/engine-types.js';
import type { BackendQueryOptions } from '../backend.js';
import type { Exec } from './collection.js';
import { COMPILED } from './registry.js';
import type { Catalog, ColInfo, TableInfo } from './scope.js';
import { SqlScope, finishResult } from './scope.js';
import { keyRanges } from './key-ranges.js';

/** Generated column ids (`c0`, `c1`, …) of a dataset's columns, in the dataset's order. */
export function columnIds(ds: Dataset): Map<string, ColInfo> {
  const cols = new Map<string, ColInfo>();
  let c = 0;
  for (const [field, col] of Object.entries(ds.cols)) cols.set(field, { kind: col.kind, id: `c${c++}` });
  return cols;
}

/** The catalog entry of a stored dataset (status values and unique keys read once, here). */
export function tableInfo(
  name: string,
  table: string,
  ds: Dataset,
  cols: Map<string, ColInfo>,
  report: DataQualityReport,
): TableInfo {
  const values = new Map<string, string[]>();
  const st = ds.cols['status'];
  if (st && st.kind === 'cat') values.set('status', st.dict.slice());
  const uniqueKeys = new Set<string>();
  for (const key of ['loan_id', 'customer_id']) {
    const k = ds.cols[key];
    if (!k || k.kind !== 'cat') continue;
    const seen = new Uint8Array(k.dict.length);
    let unique = true;
    for (let i = 0; i < ds.n && unique; i++) {
      const code = k.codes[i]!;
      if (code < 0) continue;
      if (seen[code]) unique = false;
      seen[code] = 1;
    }
    if (unique) uniqueKeys.add(key);
  }
  return { name, table, n: ds.n, cols, masked: ds.masked, timeZone: ds.timeZone, report, values, uniqueKeys };
}

/**
 * Run one request through its compiled metric: `unknown_metric` as memory, `unsupported` for a
 * metric with no SQL yet, every other error typed (`wrap`); `exec` runs fragments on the engine.
 * The source dataset's load rejections are added to the answer (`quality.load`) on every SQL
 * backend, as `LocalEngine.querySync` does in memory.
 */
export async function runCompiled(
  backend: string,
  catalog: Catalog,
  req: QueryRequest,
  q: BackendQueryOptions,
  exec: Exec,
): Promise<MetricResult> {
  if (q.signal?.aborted) throw new FinError('aborted', 'The query was cancelled');
  const def = getMetric(req.metric); // unknown_metric, as memory
  const compiled = Object.hasOwn(COMPILED, req.metric) ? COMPILED[req.metric] : undefined;
  if (!compiled) {
    throw new FinError('unsupported', `Metric "${req.metric}" is not compiled to SQL yet`, {
      metric: req.metric,
      backend,
    });
  }
  checkParams(def.id, def.paramsSchema, req.params); // the memory engine's schema check, first
  const source = req.source ?? def.source;
  try {
    // Clauses on a loans field as loan-code ranges where exact (DuckDB's key codes; key-ranges.ts).
    const ranges = await keyRanges(catalog, req.filters ?? [], exec);
    const scope = new SqlScope(catalog, req.filters ?? [], q.required ?? null, ranges, backend);
    const res = (await compiled(scope, req.params ?? {}, source, exec)) as MetricResult;
    if (q.signal?.aborted) throw new FinError('aborted', 'The query was cancelled');
    finishResult(res, scope, source);
    // Rows the load rejected reach every answer from the dataset, as in the memory engine.
    return res.quality?.load
      ? res
      : withLoadQuality(res, catalog.get(res.basis.source ?? req.source ?? '')?.report);
  } catch (e) {
    throw wrap(e);
  }
}

/** The `datasets` answer of a SQL backend's catalog. */
export function datasetInfos(catalog: Catalog): DatasetInfo[] {
  return [...catalog.values()].map((t) => ({
    name: t.name,
    rows: t.n,
    columns: [...t.cols.keys()],
    masked: t.masked,
    report: t.report,
  }));
}
