// Finboard on the vendored real datasets: the bank-marketing funnel and conversion heatmap, and
// the Taiwan credit-card repayment statuses as loan_months (bucket trend, rates, flows, roll-rate).
import '../components/funnel/define.js';
import '../components/heatmap/define.js';
import '../components/overdue-trend/define.js';
import '../components/table/define.js';
import { BANK_STAGES_ZH, bankFunnelEvents, bankFunnelParams } from '../src/data/real/bank-marketing.js';
import { parseTaiwanCsv } from '../src/data/real/taiwan.js';
import { createEngine } from '../src/engine/create.js';
import { BANK_FULL, TAIWAN, fetchGzText } from './real-data.js';

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
document.body.dataset['ready'] = '1';
