/** The rates display's several `overdue_rate` queries (levels × lags) and their results merged into one. */
import type { MetricResult } from '../../engine/types.js';
import { msg, pick } from '../../format/messages.js';
import { OVERDUE_AREA } from '../../format/messages/overdue-trend.js';

/** One `overdue_rate` query the rates display makes. */
export interface RateRequest {
  k: number;
  lag: number;
}

/**
 * The series the rates display draws: each level k coincident, and lagged when `lag` is not 0
 * (`'auto'`: lag = k months, the usual pairing of an Mk+ balance with the book k months before).
 */
export function rateRequests(levels: number[], lag: number | 'auto', bucketCount: number): RateRequest[] {
  const ks = [...new Set(levels.filter((k) => Number.isInteger(k) && k >= 1 && k < bucketCount))].sort(
    (a, b) => a - b,
  );
  if (!ks.length) ks.push(1);
  const out: RateRequest[] = ks.map((k) => ({ k, lag: 0 }));
  for (const k of ks) {
    const l = lag === 'auto' ? k : Math.max(0, Math.floor(lag));
    if (l > 0) out.push({ k, lag: l });
  }
  return out;
}

/**
 * Merge the `overdue_rate` results of `rateRequests` into one result: rows gain `k`, `lag` and
 * `bucket`; the basis is the first (coincident M1+) basis with the other series' formulas as
 * notes; quality is the first's (every series reads the same rows) with warnings united.
 */
export function mergeRateResults(parts: Array<{ req: RateRequest; result: MetricResult }>): MetricResult {
  const first = parts[0]!.result;
  const data: Array<Record<string, unknown>> = [];
  const notes = [...(first.basis.notes ?? [])];
  const warnings = [...(first.quality?.warnings ?? [])];
  const seenWarn = new Set(warnings.map((w) => JSON.stringify(w)));
  for (const { req, result } of parts) {
    const bucket =
      typeof result.meta?.['bucket'] === 'string' ? (result.meta['bucket'] as string) : `M${req.k}+`;
    for (const row of result.data) data.push({ ...row, k: req.k, lag: req.lag, bucket });
    if (result !== first) {
      const title = pick(result.basis.title, 'zh-CN');
      const titleEn = pick(result.basis.title, 'en-US');
      notes.push({
        'zh-CN': `${title}${req.lag ? `（滞后 ${req.lag} 月）` : ''}：${pick(result.basis.formula, 'zh-CN')}`,
        'en-US': `${titleEn}${req.lag ? ` (lagged ${req.lag} mo)` : ''}: ${pick(result.basis.formula, 'en-US')}`,
      });
    }
    for (const w of result.quality?.warnings ?? []) {
      const key = JSON.stringify(w);
      if (!seenWarn.has(key)) {
        seenWarn.add(key);
        warnings.push(w);
      }
    }
  }
  const ks = [...new Set(parts.map((p) => p.req.k))];
  const lags = [...new Set(parts.map((p) => p.req.lag))];
  const out: MetricResult = {
    data,
    basis: {
      ...first.basis,
      title: {
        'zh-CN': msg('zh-CN', 'titleRates', undefined, OVERDUE_AREA),
        'en-US': msg('en-US', 'titleRates', undefined, OVERDUE_AREA),
      },
      options: { ...first.basis.options, k: ks, lag: lags },
      notes,
    },
    quality: { ...first.quality, warnings },
    meta: { ...(first.meta ?? {}), series: parts.map((p) => p.req), k: ks, lag: lags },
  };
  if (data.length === 0)
    out.empty = first.empty ?? { 'zh-CN': '所选范围内没有数据', 'en-US': 'No data in the selected range' };
  return out;
}
