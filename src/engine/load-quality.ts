/**
 * Rows rejected at load reach every answer drawn from that dataset (issue 13 #5).
 *
 * A metric counts what it excludes from the rows it was given; rows the load already rejected
 * (unparseable, out of range, duplicates…) were never given to it, so without this an element drawn
 * from a dataset that lost 50 of 342 rows said `ok`. The engine (every placement: in-thread,
 * worker, server) therefore adds the load's rejections to each result computed from the dataset:
 * `quality.load` (counts by reason) and a localised warning, which puts the element in its partial
 * state with the reasons shown.
 */
import type { DataQualityReport } from '../data/quality.js';
import type { MetricResult } from './types.js';

const LABEL: Record<string, [string, string]> = {
  missing_required: ['必填字段缺失', 'missing required value'],
  unparseable_number: ['数值无法解析', 'unparseable number'],
  unparseable_date: ['日期无法解析', 'unparseable date'],
  negative_amount: ['金额为负', 'negative amount'],
  out_of_range: ['超出取值范围', 'out of range'],
  invalid_category: ['类别值无效', 'invalid category'],
  duplicate_key: ['主键重复', 'duplicate key'],
};

/** The result with the load's rejections of `report` added (a copy; the input is not changed). */
export function withLoadQuality(res: MetricResult, report: DataQualityReport | undefined): MetricResult {
  if (!report || report.rowsRejected <= 0) return res;
  const reasons = Object.entries(report.rejected).filter(([, v]) => v > 0);
  const list = (lang: 0 | 1): string =>
    reasons.map(([k, v]) => `${LABEL[k]?.[lang] ?? k} ${v}`).join(lang === 0 ? '，' : ', ');
  const warning = {
    'zh-CN': `数据集 ${report.dataset} 加载时剔除 ${report.rowsRejected} / ${report.rowsRead} 行（${list(0)}），未计入本图`,
    'en-US': `Dataset ${report.dataset}: ${report.rowsRejected} of ${report.rowsRead} rows were rejected at load (${list(1)}) and are not in this chart`,
  };
  return {
    ...res,
    quality: {
      ...res.quality,
      warnings: [...(res.quality?.warnings ?? []), warning],
      load: {
        dataset: report.dataset,
        rowsRead: report.rowsRead,
        rowsKept: report.rowsKept,
        rejected: Object.fromEntries(reasons),
      },
    },
  };
}
