/**
 * Elements compare `params` and `filters` structurally: a host that re-renders with inline objects
 * (React 19 `params={{ … }}`) sets new objects with the same content on every render, and that must
 * not send a query; a real change must.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../components/kpi-card/define.js';
import '../../components/funnel/define.js';
import type { FinKpiCard } from '../../components/kpi-card/kpi-card.js';
import type { FinFunnel } from '../../components/funnel/funnel.js';
import type { FilterClause, MetricResult, QueryRequest } from '../../src/engine/types.js';
import { fakeEngine, sleep, until } from './helpers.js';

const answer: MetricResult = {
  data: [{ value: 1, comparison: null, delta: null, deltaPct: null }],
  basis: { metric: 'kpi', title: { 'zh-CN': '笔数', 'en-US': 'Count' }, formula: { 'zh-CN': 'n', 'en-US': 'n' }, options: {}, filters: [], exclusions: [] },
  quality: { rows: 1, used: 1, excluded: {}, warnings: [] },
};

/** A fresh params object with the same content each call, keys in another order every other call. */
const params = (i: number): Record<string, unknown> =>
  i % 2
    ? { compare: 'previous', measure: { field: 'amount', agg: 'sum' }, period: { unit: 'month', length: 1 } }
    : { measure: { agg: 'sum', field: 'amount' }, period: { length: 1, unit: 'month' }, compare: 'previous' };
const filters = (): FilterClause[] => [{ field: 'region', op: 'in', value: ['华东', '华南'] }];

async function mounted(seen: QueryRequest[]): Promise<FinKpiCard> {
  const el = await fixture<FinKpiCard>(
    html`<fin-kpi-card .engine=${fakeEngine(answer, seen)} .params=${params(0)} .filters=${filters()}></fin-kpi-card>`,
  );
  await until(() => el.renderState === 'ok', 'the first answer');
  return el;
}

describe('structurally equal params and filters', () => {
  it('sends no query when equal params and filters are set 5 times', async () => {
    const seen: QueryRequest[] = [];
    const el = await mounted(seen);
    expect(seen).to.have.length(1);
    for (let i = 1; i <= 5; i++) {
      el.params = params(i);
      el.filters = filters();
      await el.updateComplete;
      await sleep(10);
    }
    expect(seen, 'extra engine queries').to.have.length(1);
    expect(el.renderState).to.equal('ok');
  });

  it('queries once for a real change of params, and once for a real change of filters', async () => {
    const seen: QueryRequest[] = [];
    const el = await mounted(seen);
    el.params = { ...params(0), compare: 'year-ago' };
    await el.updateComplete;
    await until(() => seen.length === 2, 'a query for the new params');
    expect(seen[1]!.params).to.deep.include({ compare: 'year-ago' });
    el.filters = [{ field: 'region', op: 'in', value: ['华东'] }];
    await el.updateComplete;
    await until(() => seen.length === 3, 'a query for the new filters');
    expect(seen[2]!.filters).to.deep.equal([{ field: 'region', op: 'in', value: ['华东'] }]);
    await sleep(20);
    expect(seen).to.have.length(3);
  });

  it('holds for elements that merge their own switches into params (fin-funnel)', async () => {
    const seen: QueryRequest[] = [];
    const el = await fixture<FinFunnel>(
      html`<fin-funnel mode="loose" .engine=${fakeEngine({ ...answer, data: [] }, seen)} .params=${{ stages: ['a', 'b'] }}></fin-funnel>`,
    );
    await until(() => seen.length === 1, 'the first query');
    for (let i = 0; i < 5; i++) {
      el.params = { stages: ['a', 'b'] };
      await el.updateComplete;
    }
    await sleep(20);
    expect(seen).to.have.length(1);
    el.params = { stages: ['a', 'b', 'c'] };
    await until(() => seen.length === 2, 'a query for the new stages');
    expect(seen[1]!.params).to.deep.include({ mode: 'loose' });
    // The element's own array property compares structurally too.
    el.stages = ['x', 'y'];
    await until(() => seen.length === 3, 'a query for the stages property');
    for (let i = 0; i < 5; i++) {
      el.stages = ['x', 'y'];
      await el.updateComplete;
    }
    await sleep(20);
    expect(seen).to.have.length(3);
    expect(seen[2]!.params).to.deep.include({ stages: ['x', 'y'] });
  });
});
