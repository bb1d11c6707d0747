/**
 * `<fin-model>`'s view model and specs (src/specs/model-*.ts): the red-amber-green thresholds at
 * their edges, a hostile meta read without a throw (non-finite numbers dropped), the stability
 * table's PSI terms summing to the PSI (hand-computed), and specs that never put a data string in
 * an expression.
 */
import { describe, expect, it } from 'vitest';
import type { MetricResult } from '../../../src/engine/types.js';
import { missingField, monitorModel, statusOf } from '../../../src/specs/model-common.js';
import type { ModelSpecOptions } from '../../../src/specs/model-common.js';
import { bandsSpec } from '../../../src/specs/model-bands.js';
import { curvesSpec } from '../../../src/specs/model-curves.js';
import { stabilitySpec } from '../../../src/specs/model-stability.js';
import { trendSpec } from '../../../src/specs/model-trend.js';
import { tableModelOf } from '../../../components/model/tables.js';

const result = (meta: Record<string, unknown>, data: unknown[] = []): MetricResult =>
  ({
    data,
    basis: { metric: 'model_monitor', title: 'm', formula: 'f', options: {}, filters: [], exclusions: [] },
    quality: { rows: 0, used: 0, excluded: {}, warnings: [] },
    meta,
  }) as unknown as MetricResult;

const opts: ModelSpecOptions = {
  locale: 'en-US',
  width: 800,
  colors: { fg: '#111', muted: '#555', border: '#ddd', bg: '#fff', accent: '#00f', good: '#0a0', warning: '#a60', bad: '#a00', series: ['#00f', '#f80', '#a0a'] },
};

describe('fin-model view model', () => {
  it('status thresholds: KS 0.2 / 0.3, AUC 0.65 / 0.75, Gini 0.3 / 0.5, PSI 0.10 / 0.25 (lower is better)', () => {
    expect([0.19999, 0.2, 0.29999, 0.3].map((v) => statusOf('ks', v))).toEqual(['red', 'amber', 'amber', 'green']);
    expect([0.6499, 0.65, 0.7499, 0.75].map((v) => statusOf('auc', v))).toEqual(['red', 'amber', 'amber', 'green']);
    expect([0.2999, 0.3, 0.4999, 0.5].map((v) => statusOf('gini', v))).toEqual(['red', 'amber', 'amber', 'green']);
    expect([0.0999, 0.1, 0.2499, 0.25].map((v) => statusOf('psi', v))).toEqual(['green', 'amber', 'amber', 'red']);
    expect([null, undefined, NaN, Infinity].map((v) => statusOf('ks', v as number))).toEqual(['none', 'none', 'none', 'none']);
  });

  it('a hostile meta: missing fields named, non-finite numbers dropped, strings never evaluated', () => {
    expect(missingField(result({}))).toBe('meta.overall');
    expect(missingField(result({ overall: {} }))).toBe('meta.bands');
    const m = monitorModel(
      result(
        {
          overall: { count: 'x', auc: Infinity, ks: 0.4 },
          bands: [{ band: 2, lift: NaN }, { band: '1' }, null, { band: 1, lift: 2 }],
          distribution: [],
          curve: [{ tpr: 0.5, fpr: 'a' }, { tpr: 1, fpr: 1 }],
          features: [{ feature: '<img src=x onerror=alert(1)>', label: { 'en-US': 'constructor' }, iv: -Infinity }],
        },
        [{ month: '2024-01', sample: 'development', auc: NaN }, { month: 5 }],
      ),
      'en-US',
    );
    expect(m.overall).toMatchObject({ count: 0, auc: null, ks: 0.4 });
    expect(m.bands.map((b) => [b.band, b.lift])).toEqual([[1, 2], [2, null]]);
    expect(m.curve).toHaveLength(1);
    expect(m.months).toEqual([expect.objectContaining({ month: '2024-01', development: true, auc: null })]);
    expect(m.features[0]).toMatchObject({ feature: '<img src=x onerror=alert(1)>', label: 'constructor', iv: null });
    // every spec builds; no data string reaches an expression
    for (const spec of [trendSpec(m, opts), curvesSpec(m, opts), bandsSpec(m, opts), stabilitySpec(m, opts)]) {
      const text = JSON.stringify(spec);
      for (const expr of text.matchAll(/"(?:expr|calculate|filter|test|signal)":"([^"]*)"/g)) expect(expr[1]).not.toMatch(/img|constructor|2024/);
    }
  });

  it('stability table: the PSI terms (a − e)·ln(a / e), a zero share as 0.0001, sum to the PSI', () => {
    // expected 0.5 / 0.5, actual 0.75 / 0.25 → PSI = 0.25·ln 1.5 + 0.25·ln 2 = 0.2747 (hand-computed)
    const m = monitorModel(
      result({ overall: {}, bands: [], curve: [], features: [], distribution: [{ band: 1, expected: 0.5, actual: 0.75 }, { band: 2, expected: 0.5, actual: 0.25 }, { band: 3, expected: 0, actual: 0 }] }),
      'en-US',
    );
    const t = tableModelOf('stability', m, 'en-US');
    const terms = t.rows.map((r) => (r[3] as { raw: number }).raw);
    expect(terms[0]).toBeCloseTo(0.25 * Math.log(1.5), 12);
    expect(terms[1]).toBeCloseTo(0.25 * Math.log(2), 12);
    expect(terms[2]).toBe(0);
    expect(terms.reduce((a, b) => a + b, 0)).toBeCloseTo(0.274653072, 8);
  });
});
