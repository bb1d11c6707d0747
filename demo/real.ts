// Finboard on the vendored real datasets: the bank-marketing funnel and conversion heatmap, and
// the Taiwan credit-card repayment statuses as loan_months (bucket trend, rates, flows, roll-rate),
// and the model-monitoring page on German Credit (a logistic model on a seeded 70/30 split).
import '../components/funnel/define.js';
import '../components/heatmap/define.js';
import '../components/overdue-trend/define.js';
import '../components/table/define.js';
import '../components/model/define.js';
import { BANK_STAGES_ZH, bankFunnelEvents, bankFunnelParams } from '../src/data/real/bank-marketing.js';
import { parseTaiwanCsv } from '../src/data/real/taiwan.js';
import { germanCreditParams, parseGermanCredit } from '../src/data/real/german-credit.js';
import { createEngine } from '../src/engine/create.js';
import { BANK_FULL, GERMAN, TAIWAN, fetchGzText } from './real-data.js';

type El = HTMLElement & { engine: unknown; params: unknown; source: string; metric: string; columns?: unknown };
const $ = (id: string) => document.getElementById(id) as El;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// Bank marketing: one engine holding the raw CSV (for the heatmap) and the derived funnel events.
const bank = createEngine({ timeZone: 'UTC' });
const bankCsv = await fetchGzText(BANK_FULL);
await bank.load('bank', bankCsv);
await bank.load('funnel_events', bankFunnelEvents(bankCsv, BANK_STAGES_ZH));
const funnel = $('bank-funnel');
funnel.params = bankFunnelParams(BANK_STAGES_ZH);
funnel.engine = bank;
const heat = $('bank-heat');
heat.source = 'bank';
heat.params = {
  x: { field: 'month', order: MONTHS },
  y: { field: 'job' },
  measure: { ratio: [{ agg: 'count', where: [{ field: 'y', op: 'eq', value: 'yes' }] }, { agg: 'count' }] },
};
heat.engine = bank;

// Taiwan: loans + loan_months (30,000 × 6), and the next-month default flag per client.
const tw = createEngine({ timeZone: 'UTC' });
const data = parseTaiwanCsv(await fetchGzText(TAIWAN));
await tw.load('loans', data.loans);
await tw.load('loan_months', data.loan_months);
await tw.load('clients', { client_id: data.loans.loan_id, default_next_month: data.defaultNextMonth.map((y) => (y === 1 ? '违约 default' : y === 0 ? '未违约 no default' : null)) });
for (const id of ['tw-buckets', 'tw-rates', 'tw-flows', 'tw-roll']) $(id).engine = tw;
const table = $('tw-default');
table.metric = 'distinct';
table.source = 'clients';
table.params = { field: 'default_next_month' };
table.columns = [
  { key: 'value', label: { 'zh-CN': '次月状态', 'en-US': 'Next month' } },
  { key: 'count', label: { 'zh-CN': '客户数', 'en-US': 'Clients' }, format: 'count', bar: true },
];
table.engine = tw;
const r = await tw.query({ metric: 'distinct', source: 'clients', params: { field: 'default_next_month' } });
const d = r.data.find((x) => String((x as { value: unknown }).value).startsWith('违约')) as { count: number } | undefined;
const total = r.data.reduce((a, x) => a + (x as { count: number }).count, 0);
document.getElementById('tw-status')!.textContent += ` Computed here: ${d?.count ?? 0} of ${total} (${(((d?.count ?? 0) / total) * 100).toFixed(2)}%).`;

// German Credit: every attribute as a feature of a custom logistic model; each fin-model shows one
// display of the same answer (the engine computes it once and caches it).
const de = createEngine({ timeZone: 'UTC' });
const german = parseGermanCredit(await fetchGzText(GERMAN));
await de.load('german', german.columns);
for (const id of ['de-overview', 'de-curves', 'de-bands', 'de-stability', 'de-features']) {
  const el = $(id);
  el.source = 'german';
  el.params = germanCreditParams(german.features);
  el.engine = de;
}
document.body.dataset['ready'] = '1';
