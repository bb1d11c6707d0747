import { describe, expect, it } from 'vitest';
import { generateSample } from '../../../src/data/sample.js';
import { fieldIssues } from '../../../src/dashboard/field-check.js';
import type { FieldCheckContext } from '../../../src/dashboard/field-check.js';
import { DASHBOARDS } from '../../../src/dashboard/presets.js';
import type { DashboardSpec, WidgetSpec } from '../../../src/dashboard/spec.js';
import { LocalEngine } from '../../../src/engine/local.js';
import { PARAM_SCHEMAS } from '../../../src/engine/metrics/params-schemas.js';
import type { JsonSchema } from '../../../src/engine/schema.js';

const columns = new Map<string, Set<string>>(
  Object.entries({
    customers: ['customer_id', 'region', 'segment'],
    loans: ['loan_id', 'customer_id', 'product', 'issue_date'],
    loan_months: ['loan_id', 'snapshot_date', 'dpd'],
    transactions: ['txn_id', 'customer_id', 'txn_time', 'amount'],
  }).map(([k, v]) => [k, new Set(v)]),
);

/** A schema with one field param (`by`) and one object param (`measure`). */
const SCHEMA: JsonSchema = {
  type: 'object',
  properties: { by: { type: 'string', format: 'field' }, measure: { type: 'object' }, top: { type: 'integer' } },
};

const ctx = (locale: 'zh-CN' | 'en-US' = 'en-US'): FieldCheckContext => ({ columns, schemaOf: () => SCHEMA, locale });

const widget = (over: Partial<WidgetSpec>): WidgetSpec => ({ id: 'w', type: 'table', grid: { x: 0, y: 0, w: 4, h: 3 }, ...over });
const spec = (widgets: WidgetSpec[], filters?: DashboardSpec['filters']): DashboardSpec => ({
  version: 2,
  id: 'd',
  title: 'd',
  widgets,
  ...(filters ? { filters } : {}),
});
const paths = (s: DashboardSpec): string[] => fieldIssues(s, ctx()).map((i) => i.path);

describe('field checks against the loaded columns', () => {
  it('accepts fields of the source and of the datasets its keys reach', () => {
    const w = widget({
      source: 'loan_months',
      params: { by: 'region', measure: { agg: 'sum', field: 'dpd' }, top: 5 },
      filters: [{ field: 'product', op: 'eq', value: 'cash' }],
      drill: { levels: [{ field: 'segment' }, { field: 'issue_date.month' }] },
      props: { filterField: 'loan_id' },
    });
    expect(paths(spec([w]))).toEqual([]);
  });

  it('points at each field that does not resolve, with its JSON path', () => {
    const w = widget({
      source: 'transactions',
      params: { by: 'product_typo', measure: { agg: 'sum', field: 'amount_x' }, top: 5 },
      filters: [{ field: 'amount', op: 'eq', value: 1 }, { field: 'dpd', op: 'eq', value: 0 }],
      drill: { levels: [{ field: 'segment' }, { field: 'team', params: { by: 'teamx' } }] },
      props: { filterField: 'nope' },
    });
    // transactions → customers (customer_id) → no loan link: `dpd` (loan_months) does not resolve
    expect(paths(spec([widget({ id: 'ok' }), w]))).toEqual([
      '$.widgets[1].params.by',
      '$.widgets[1].params.measure.field',
      '$.widgets[1].filters[1].field',
      '$.widgets[1].props.filterField',
      '$.widgets[1].drill.levels[1].field',
      '$.widgets[1].drill.levels[1].params.by',
    ]);
    const [first] = fieldIssues(spec([w]), ctx());
    expect(first!.message).toBe('Field "product_typo" is not a column of transactions, nor reachable through its key links');
    expect(fieldIssues(spec([w]), ctx('zh-CN'))[0]!.message).toContain('字段“product_typo”');
  });

  it('checks a widget without a source against every loaded dataset', () => {
    expect(paths(spec([widget({ params: { by: 'dpd' } })]))).toEqual([]);
    const [issue] = fieldIssues(spec([widget({ params: { by: 'zzz' } })]), ctx());
    expect(issue).toEqual({ path: '$.widgets[0].params.by', message: 'Field "zzz" is not a column of any loaded dataset' });
  });

  it('reports a dataset that is not loaded once, not each of its fields', () => {
    const issues = fieldIssues(spec([widget({ source: 'ledger', params: { by: 'zzz' } })]), ctx());
    expect(issues).toEqual([{ path: '$.widgets[0].source', message: 'Dataset "ledger" is not loaded (loaded: customers, loans, loan_months, transactions)' }]);
  });

  it("ignores a widget's filterField when it does not cross-filter", () => {
    expect(paths(spec([widget({ props: { filterField: 'nope' }, crossfilter: false })]))).toEqual([]);
  });

  it('finds filter-bar entries that resolve nowhere', () => {
    const s = spec([], [
      { type: 'date-range', id: 'd', fields: ['snapshot_date', 'paid_at', 'txn_time'] },
      { type: 'multi', id: 'r', field: 'region', source: 'loans' },
      { type: 'multi', id: 'x', field: 'regoin', source: 'loans' },
      { type: 'multi', id: 'y', field: 'region', source: 'ledger' },
    ]);
    expect(paths(s)).toEqual(['$.filters[0].fields[1]', '$.filters[2].field', '$.filters[3].source']);
    expect(fieldIssues(s, ctx())[0]!.message).toBe('Filter field "paid_at" resolves in no loaded dataset: the filter applies nowhere');
  });

  it('finds nothing wrong in the ready-made dashboards over the sample data', async () => {
    const engine = new LocalEngine();
    for (const [name, cols] of Object.entries(generateSample({ customers: 120, seed: 3 }))) await engine.load(name, cols as never);
    const loaded = new Map((await engine.datasetsInfo()).map((d) => [d.name, new Set(d.columns)]));
    const schemaOf = (w: WidgetSpec): JsonSchema | null => (w.metric ? ((PARAM_SCHEMAS as Record<string, JsonSchema>)[w.metric] ?? null) : null);
    for (const [id, s] of Object.entries(DASHBOARDS)) expect([id, fieldIssues(s, { columns: loaded, schemaOf, locale: 'en-US' })]).toEqual([id, []]);
  });
});
