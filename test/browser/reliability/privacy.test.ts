/**
 * Privacy (issue 8): with masking on (the default), elements fed customer data carrying personal
 * numbers must show none in clear. For every element: all shadow-DOM text, labelling attributes
 * (aria-label, title…), tooltips (marks hovered and focused), the customer list of a selected
 * segment, the basis panel, the data-table view, `el.csv()`, `await el.svg()` and the details of
 * every fin-* event are scanned with `scanForPII` (mainland mobiles, resident IDs with a valid check
 * digit, 13–19 digit Luhn-valid card numbers).
 *
 * Three feeds: (A) PII in the declared PII columns and in free text outside the schema;
 * (B) PII inside free text of schema category columns (transaction descriptions);
 * (C) identifiers that are personal numbers (customer_id = mobile / resident ID, user_id = mobile).
 */
import { expect } from '@open-wc/testing';
import { scanForPII } from '../../../src/data/mask.js';
import { validRows } from '../../fixtures/bad-data.js';
import { cardNumber, people, remark, residentId } from '../../fixtures/pii.js';
import { rng } from '../../fixtures/rng.js';
import { figure, harvest, mount, trapErrors } from './helpers.js';
import type { AnyFin } from './helpers.js';

type Feed = 'A' | 'B' | 'C';

interface Case {
  tag: string;
  props: Record<string, unknown>;
}

function datasets(feed: Feed): Record<string, Record<string, unknown>[]> {
  const r = rng(feed.charCodeAt(0));
  const ppl = people(40, feed.charCodeAt(0));
  // Free-text values repeat (as descriptions do): a dozen distinct ones per column.
  const notes = Array.from({ length: 12 }, () => remark(r));
  const banks = Array.from(
    { length: 6 },
    () => `${r.pick(['中国银行', '招商银行'])} 户名卡 ${cardNumber(r, 16)}`,
  );
  const idOf = (i: number): string =>
    feed === 'C' ? (i % 2 ? ppl.phones[i % 40]! : ppl.ids[i % 40]!) : `CU${String(i % 40).padStart(6, '0')}`;
  const customers = validRows('customers', 40, 11).map((c, i) => ({
    ...c,
    customer_id: idOf(i),
    name: ppl.names[i],
    phone: ppl.phones[i],
    id_number: ppl.ids[i],
    memo: remark(r),
  }));
  const transactions = validRows('transactions', 400, 12).map((t, i) => ({
    ...t,
    customer_id: idOf(i % 40),
    account_no: ppl.cards[i % 40],
    memo: remark(r),
    ...(feed === 'B' ? { category: r.pick(notes), counterparty_bank: r.pick(banks) } : {}),
  }));
  const funnel = validRows('funnel_events', 200, 13).map((e, i) => ({
    ...e,
    user_id: feed === 'C' ? ppl.phones[Math.floor(i / 3) % 40]! : e.user_id,
    ...(feed === 'B' ? { channel: `推荐人 ${ppl.phones[i % 5]!}` } : {}),
  }));
  const actions = validRows('collection_actions', 200, 14).map((a, i) => ({
    ...a,
    customer_id: idOf(i % 40),
    ...(feed === 'B' ? { team: `组长 ${ppl.phones[i % 4]!}` } : {}),
    ...(feed === 'C' ? { collector_id: residentId(r) } : {}),
  }));
  const loanMonths = validRows('loan_months', 120, 15);
  return {
    customers,
    transactions,
    funnel_events: funnel,
    collection_actions: actions,
    loan_months: loanMonths,
  };
}

function cases(feed: Feed): Case[] {
  const d = datasets(feed);
  const tx = { transactions: d.transactions, customers: d.customers };
  return [
    { tag: 'fin-rfm', props: { data: tx } },
    // mining-cluster
    { tag: 'fin-cluster', props: { data: tx, params: { restarts: 1, kMax: 3 } } },
    { tag: 'fin-profile', props: { data: tx, params: { group: { where: [], name: 'all' } } } },
    // mining: model monitoring
    { tag: 'fin-model', props: { data: tx, params: { definition: 'churn' } } },
    { tag: 'fin-fund-flow', props: { data: tx } },
    { tag: 'fin-fund-flow', props: { data: tx, display: 'alerts' } },
    {
      tag: 'fin-heatmap',
      props: {
        data: tx,
        source: 'transactions',
        params: { x: { field: 'category' }, y: { field: 'counterparty_bank' }, measure: { agg: 'count' } },
      },
    },
    { tag: 'fin-cohort', props: { data: tx } },
    { tag: 'fin-funnel', props: { data: d.funnel_events, breakdown: 'channel' } },
    { tag: 'fin-table', props: { data: d.collection_actions } },
    {
      tag: 'fin-table',
      props: { data: d.collection_actions, params: { level: 'team' }, selectField: 'team' },
    },
    {
      tag: 'fin-kpi-card',
      props: { data: tx, source: 'transactions', params: { measure: { agg: 'sum', field: 'amount' } } },
    },
    { tag: 'fin-overdue-trend', props: { data: d.loan_months } },
  ];
}

interface Leak {
  tag: string;
  where: string;
  kind: string;
  match: string;
}

async function scanFeed(
  feed: Feed,
): Promise<{ scanned: number; leaks: Leak[]; elements: number; states: string[] }> {
  const leaks: Leak[] = [];
  let scanned = 0;
  const states: string[] = [];
  const list = cases(feed);
  for (const c of list) {
    const events: string[] = [];
    const el = mount(c.tag, c.props) as AnyFin;
    for (const t of ['fin-quality', 'fin-error', 'fin-select', 'fin-drilldown'])
      el.addEventListener(t, (e) => events.push(JSON.stringify((e as CustomEvent).detail)));
    try {
      const { strings, csv, svg } = await harvest(el);
      states.push(`${c.tag}:${el.renderState}`);
      const sources: Array<[string, string[]]> = [
        ['dom', strings],
        ['csv', [csv]],
        ['svg', svg ? [svg] : []],
        ['events', events],
      ];
      for (const [where, texts] of sources) {
        for (const text of texts) {
          scanned++;
          // Decimal fractions (SVG coordinates, rates) are not card numbers: blank them first.
          for (const m of scanForPII(text.replace(/\d*\.\d+/g, ' ')))
            leaks.push({ tag: c.tag, where, kind: m.kind, match: m.match });
        }
      }
    } finally {
      el.remove();
    }
  }
  return { scanned, leaks, elements: list.length, states };
}

function summary(feed: Feed, r: Awaited<ReturnType<typeof scanFeed>>): string {
  const by = new Map<string, number>();
  for (const l of r.leaks)
    by.set(`${l.tag}/${l.where}/${l.kind}`, (by.get(`${l.tag}/${l.where}/${l.kind}`) ?? 0) + 1);
  return (
    `privacy(${feed}): ${r.elements} element configurations, ${r.scanned} texts scanned, ${r.leaks.length} unmasked PII` +
    (r.leaks.length ? ` (${[...by].map(([k, v]) => `${k} ${v}`).join(', ')}; e.g. ${r.leaks[0]!.match})` : '')
  );
}

describe('privacy: no unmasked personal numbers with masking on', () => {
  it('(A) declared PII columns and free text outside the schema: 0 found', async function () {
    this.timeout(60_000);
    const trap = trapErrors();
    const r = await scanFeed('A');
    trap.stop();
    figure(summary('A', r));
    expect(r.states.filter((s) => /:(error|idle|loading)$/.test(s))).to.deep.equal([]);
    expect(r.leaks.map((l) => `${l.tag} ${l.where} ${l.kind} ${l.match}`).slice(0, 10)).to.deep.equal([]);
  });

  it('(B) PII inside free text of schema category columns (descriptions, team and channel names): 0 found', async function () {
    this.timeout(60_000);
    const r = await scanFeed('B');
    figure(summary('B', r));
    expect(r.leaks.map((l) => `${l.tag} ${l.where} ${l.kind} ${l.match}`).slice(0, 10)).to.deep.equal([]);
  });

  it('(C) identifiers that are personal numbers (customer_id = mobile / resident ID): 0 found', async function () {
    this.timeout(60_000);
    const r = await scanFeed('C');
    figure(summary('C', r));
    expect(r.leaks.map((l) => `${l.tag} ${l.where} ${l.kind} ${l.match}`).slice(0, 10)).to.deep.equal([]);
  });
});
