/**
 * `kpi` in series mode (a KPI card over another metric's monthly series: entry, cure, overdue
 * rate) on the SQL backends. The KPI's own definition runs unchanged (kpi.ts): it is called with a
 * context whose `runMetric` hands it the inner metric's answer, computed by that metric's SQL
 * compilation. The KPI is run once first to validate its params in its own order; the inner
 * metric is queried where it asks for it. KPI measures over rows (non-series mode): kpi-rows.ts.
 */
import type { MetricContext } from '../../engine/context.js';
import { FinError } from '../../engine/errors.js';
import { getMetric } from '../../engine/metrics/index.js';
import type { MetricResult } from '../../engine/types.js';
import type { CompiledMetric } from './collection.js';
import { kpiRowsSql } from './kpi-rows.js';
import { finishResult } from './scope.js';

/** Thrown by the first pass's `runMetric`: the inner request the KPI asked for. */
class NeedInner {
  constructor(
    readonly metric: string,
    readonly params: Record<string, unknown>,
    readonly source: string | undefined,
  ) {}
}

export function kpiSeriesSql(lookup: (id: string) => CompiledMetric | undefined): CompiledMetric {
  return async (scope, params, source, exec) => {
    const kpi = getMetric('kpi');
    if (params.series === undefined || params.series === null) return kpiRowsSql(scope, params, source, exec);
    // The KPI only asks its context for the filters and for its inner series (runMetric).
    const contextWith = (runMetric: MetricContext['runMetric']): MetricContext =>
      ({ filters: scope.filters, runMetric }) as unknown as MetricContext;
    let need: NeedInner;
    try {
      return kpi.run(
        contextWith((metric, p, src) => {
          throw new NeedInner(metric, p ?? {}, src);
        }),
        params,
        source,
      ) as MetricResult<object>;
    } catch (e) {
      if (!(e instanceof NeedInner)) throw e;
      need = e;
    }
    const def = getMetric(need.metric); // unknown_metric, as memory
    const inner = lookup(need.metric);
    if (!inner)
      throw new FinError('unsupported', `Metric "${need.metric}" is not compiled to SQL yet`, {
        metric: need.metric,
        backend: 'sql',
      });
    const innerScope = scope.fork();
    const innerSource = need.source ?? def.source;
    const res = finishResult(
      (await inner(innerScope, need.params, innerSource, exec)) as MetricResult,
      innerScope,
      innerSource,
    );
    return kpi.run(
      contextWith(() => res as MetricResult),
      params,
      source,
    ) as MetricResult<object>;
  };
}
