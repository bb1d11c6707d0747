import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  baseKey,
  baseRequest,
  categorySources,
  dashboardDimensions,
  prepareSettings,
  widgetSelectionFields,
} from '../../../src/dashboard/prepare.js';
import { collectionDashboard, fundFlowDashboard, retentionDashboard } from '../../../src/dashboard/presets.js';
import { validateSpec } from '../../../src/dashboard/spec.js';
import type { DashboardSpecV1, WidgetSpecV1 } from '../../../src/dashboard/spec.js';
import type { FilterClause } from '../../../src/engine/types.js';

const spec = (over: Partial<DashboardSpecV1>): DashboardSpecV1 => ({ version: 1, id: 't', title: 't', widgets: [], ...over });
const w = (over: Partial<WidgetSpecV1> & Pick<WidgetSpecV1, 'type'>): WidgetSpecV1 => ({ id: 'w', ...over });

describe('cube dimensions of a dashboard spec', () => {
  it('derives the ready-made dashboards: multi filters first, then widget selection fields', () => {
    // collection: region/product (filter bar), collector_id (the collectors table's last drill level;
    // its team level drills instead of cross-filtering), channel (channels table); KPI, trends,
    // vintage and the hour heatmap pin nothing.
    expect(dashboardDimensions(collectionDashboard)).toEqual(['region', 'product', 'collector_id', 'channel']);
    // retention: churn rows select months (a date part: dropped at run time, not a category column),
    // the funnel's stage; RFM does not cross-filter.
    expect(dashboardDimensions(retentionDashboard)).toEqual(['segment', 'region', 'txn_time.month', 'stage']);
    // fund flow: channel (filter and the channel-mix heatmap's y axis), sankey left/middle/right, alerts' customer.
    expect(dashboardDimensions(fundFlowDashboard)).toEqual(['channel', 'segment', 'category', 'customer_id']);
  });

  it('reads each widget type the way its element builds the selection clause', () => {
    expect(widgetSelectionFields(w({ type: 'kpi-card' }))).toEqual([]);
    expect(widgetSelectionFields(w({ type: 'funnel' }))).toEqual(['stage']);
    expect(widgetSelectionFields(w({ type: 'funnel', crossfilter: false }))).toEqual([]);
    expect(widgetSelectionFields(w({ type: 'rfm' }))).toEqual([]);
    expect(widgetSelectionFields(w({ type: 'cohort', props: { mode: 'vintage' } }))).toEqual([]);
    expect(widgetSelectionFields(w({ type: 'overdue-trend' }))).toEqual([]);
    // table: filterField, else selectField, else the first column
    expect(widgetSelectionFields(w({ type: 'table', props: { selectField: 'team', filterField: 'team_id' } }))).toEqual(['team_id']);
    expect(widgetSelectionFields(w({ type: 'table', props: { selectField: 'team' } }))).toEqual(['team']);
    expect(widgetSelectionFields(w({ type: 'table', props: { columns: [{ key: 'product' }, { key: 'n' }] } }))).toEqual(['product']);
    expect(widgetSelectionFields(w({ type: 'table' }))).toEqual([]);
    // heatmap: the selected axis when it is a plain field (no date part, no bins); presets by table
    const heat = { x: { field: 'direction' }, y: { field: 'channel' } };
    expect(widgetSelectionFields(w({ type: 'heatmap', params: heat }))).toEqual(['direction']);
    expect(widgetSelectionFields(w({ type: 'heatmap', params: heat, props: { selectOn: 'y' } }))).toEqual(['channel']);
    expect(widgetSelectionFields(w({ type: 'heatmap', params: { x: { field: 'txn_time', part: 'hour' } } }))).toEqual([]);
    expect(widgetSelectionFields(w({ type: 'heatmap', params: { x: { field: 'amount', part: 'bin' } } }))).toEqual([]);
    expect(widgetSelectionFields(w({ type: 'heatmap', props: { preset: 'contact-rate-weekday-hour', selectOn: 'y' } }))).toEqual([]);
    expect(widgetSelectionFields(w({ type: 'heatmap', props: { preset: 'overdue-region-month', selectOn: 'y' } }))).toEqual(['region']);
    expect(widgetSelectionFields(w({ type: 'heatmap', props: { preset: 'overdue-region-month' } }))).toEqual([]);
    // fund flow: sankey nodes (defaults category / segment / category), alerts, trend periods
    expect(widgetSelectionFields(w({ type: 'fund-flow' }))).toEqual(['category', 'segment', 'category']);
    expect(widgetSelectionFields(w({ type: 'fund-flow', params: { left: 'channel', middle: null } }))).toEqual(['channel', 'category']);
    expect(widgetSelectionFields(w({ type: 'fund-flow', params: { middle: null }, props: { middle: 'city' } }))).toEqual(['category', 'city', 'category']);
    expect(widgetSelectionFields(w({ type: 'fund-flow', props: { middle: 'none' } }))).toEqual(['category', 'category']);
    expect(widgetSelectionFields(w({ type: 'fund-flow', props: { display: 'alerts' } }))).toEqual(['customer_id']);
    expect(widgetSelectionFields(w({ type: 'fund-flow', props: { display: 'trend' } }))).toEqual([]);
  });

  it('follows drill paths: levels drill on their own field, the last level cross-filters', () => {
    const drill = {
      levels: [
        { field: 'region', props: { selectField: 'region' } },
        { field: 'city', props: { selectField: 'city' } },
        { field: 'branch', props: { selectField: 'branch_id' } },
      ],
    };
    expect(widgetSelectionFields(w({ type: 'table', drill }))).toEqual(['branch_id']);
    // A level whose selection is on another field than the level's cross-filters too.
    const mixed = { levels: [{ field: 'team', props: { selectField: 'product' } }, { field: 'collector_id', props: { selectField: 'collector_id' } }] };
    expect(widgetSelectionFields(w({ type: 'table', drill: mixed }))).toEqual(['product', 'collector_id']);
  });

  it('honours the spec option: default and true are automatic, false opts out, an object names dimensions', () => {
    const base = spec({ filters: [{ type: 'multi', id: 'r', field: 'region', source: 'loans' }], widgets: [w({ type: 'funnel' })] });
    expect(prepareSettings(base)).toEqual({ dimensions: ['region', 'stage'], auto: true });
    expect(prepareSettings({ ...base, prepare: true })).toEqual({ dimensions: ['region', 'stage'], auto: true });
    expect(prepareSettings({ ...base, prepare: false })).toBeNull();
    expect(prepareSettings({ ...base, prepare: { maxDims: 1 } })).toEqual({ dimensions: ['region', 'stage'], auto: true, maxDims: 1 });
    expect(prepareSettings({ ...base, prepare: { maxCombos: 400 } })).toEqual({ dimensions: ['region', 'stage'], auto: true, maxCombos: 400 });
    expect(prepareSettings({ ...base, prepare: { dimensions: ['product', 'product', 'region'] } })).toEqual({ dimensions: ['product', 'region'], auto: false });
    expect(prepareSettings({ ...base, prepare: { dimensions: [] } })).toEqual({ dimensions: [], auto: false });
  });

  it('keeps dimensions that are category columns somewhere, with their smallest dataset', () => {
    const info = (name: string, rows: number, types: Record<string, string>) => ({ name, rows, report: { columns: { types } } });
    const infos = [
      info('loan_months', 1000, { loan_id: 'cat', snapshot_date: 'date', dpd: 'num' }),
      info('loans', 100, { loan_id: 'cat', region: 'cat', product: 'cat' }),
      info('customers', 50, { customer_id: 'cat', region: 'cat', vip: 'bool' }),
    ];
    const got = categorySources(['region', 'product', 'dpd', 'snapshot_date.month', 'vip', 'stage'], infos);
    expect([...got]).toEqual([
      ['region', 'customers'],
      ['product', 'loans'],
    ]);
  });

  it('turns a widget request into the cube base: no dimension pins, no other widgets’ selections', () => {
    const date: FilterClause = { field: 'snapshot_date', op: 'range', value: ['2025-01', '2025-06'] };
    const sel: FilterClause = { field: 'action_time.dow', op: 'eq', value: 3 };
    const req = {
      metric: 'bucket_trend',
      params: {},
      filters: [date, { field: 'region', op: 'in', value: ['华东'] } as FilterClause, { field: 'product', op: 'in', value: ['a', 'b'] } as FilterClause, sel],
    };
    const base = baseRequest(req, ['region', 'product'], new Set([sel]));
    // region pinned to one value: dropped; product with two values is a base filter, not a pin
    expect(base.filters).toEqual([date, { field: 'product', op: 'in', value: ['a', 'b'] }]);
    // The same selection spelled differently is a different object: only identity excludes.
    expect(baseRequest(req, [], new Set([{ ...sel }])).filters).toHaveLength(4);
    // Keys do not depend on clause order or on eq vs one-value in.
    expect(baseKey({ ...base, filters: [...base.filters!].reverse() })).toBe(baseKey(base));
    expect(baseKey({ ...base, filters: [{ field: 'product', op: 'in', value: ['a', 'b'] }, date] })).toBe(baseKey(base));
    expect(baseKey({ ...base, filters: [date] })).not.toBe(baseKey(base));
    // eq and a one-value in are the same pin, so the same base once the pin is removed
    const eq = baseRequest({ ...req, filters: [date, { field: 'region', op: 'eq', value: '华东' }] }, ['region']);
    expect(baseKey(eq)).toBe(baseKey(baseRequest({ ...req, filters: [date] }, ['region'])));
  });
});

describe('spec validation of `prepare`', () => {
  it('accepts booleans and the object form, and points at the offending path', () => {
    const ok = (p: unknown) => validateSpec({ ...collectionDashboard, prepare: p });
    expect(ok(true)).toEqual([]);
    expect(ok(false)).toEqual([]);
    expect(ok({})).toEqual([]);
    expect(ok({ dimensions: ['region'], maxDims: 1 })).toEqual([]);
    expect(ok('yes').map((i) => i.path)).toEqual(['$.prepare']);
    expect(ok(['region']).map((i) => i.path)).toEqual(['$.prepare']);
    expect(ok({ dimensions: 'region' }).map((i) => i.path)).toEqual(['$.prepare.dimensions']);
    expect(ok({ dimensions: ['region', 3, ''] }).map((i) => i.path)).toEqual(['$.prepare.dimensions[1]', '$.prepare.dimensions[2]']);
    expect(ok({ maxDims: 0 }).map((i) => i.path)).toEqual(['$.prepare.maxDims']);
    expect(ok({ maxDims: 1.5 }).map((i) => i.path)).toEqual(['$.prepare.maxDims']);
    expect(ok({ maxDims: 4 }).map((i) => i.path)).toEqual(['$.prepare.maxDims']);
    expect(ok({ maxCombos: 400 })).toEqual([]);
    expect(ok({ maxCombos: 0 }).map((i) => i.path)).toEqual(['$.prepare.maxCombos']);
    expect(ok({ maxCombos: '100' }).map((i) => i.path)).toEqual(['$.prepare.maxCombos']);
    expect(ok({ maxCombos: 10_001 }).map((i) => i.path)).toEqual(['$.prepare.maxCombos']);
    const typo = ok({ dimension: ['region'] });
    expect(typo.map((i) => i.path)).toEqual(['$.prepare.dimension']);
    expect(typo[0]!.message).toMatch(/Unknown key "dimension"/);
  });

  it('documents the option in the JSON Schema', () => {
    const schema = JSON.parse(readFileSync(new URL('../../../docs/dashboard.schema.json', import.meta.url), 'utf8'));
    const p = schema.properties.prepare;
    expect(p.oneOf[0]).toEqual({ type: 'boolean' });
    expect(p.oneOf[1].additionalProperties).toBe(false);
    expect(Object.keys(p.oneOf[1].properties)).toEqual(['dimensions', 'maxDims', 'maxCombos']);
    expect(p.oneOf[1].properties.maxDims).toMatchObject({ type: 'integer', minimum: 1, maximum: 3 });
    expect(p.oneOf[1].properties.maxCombos).toMatchObject({ type: 'integer', minimum: 1, maximum: 10000 });
  });
});
