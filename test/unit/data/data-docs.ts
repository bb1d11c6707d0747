/**
 * Renders docs/data.md (the consumer's reference of the canonical datasets) from the schemas the
 * engine validates against (src/data/schemas.ts) and the seeded sample, so the page cannot drift
 * from the code: data-docs.test.ts fails when the committed page differs from this rendering.
 */
import { SCHEMAS } from '../../../src/data/schemas.js';
import type { FieldSpec } from '../../../src/data/schemas.js';
import { generateSample, sampleToRows } from '../../../src/data/sample.js';
import { csvCell } from '../../../src/format/csv.js';

/** What each dataset is, one row per what, and which metrics read it. */
const DATASETS: Record<string, { zh: string; grain: string; metrics: string }> = {
  customers: { zh: '客户', grain: 'one row per customer', metrics: 'rfm (attributes, segments), joined fields in filters (region, segment…)' },
  loans: { zh: '贷款', grain: 'one row per loan at issue', metrics: 'vintage (issued cohort), loan attributes in filters (product, channel, region)' },
  loan_months: {
    zh: '贷款月度快照',
    grain: 'one row per loan per month-end snapshot',
    metrics: 'overdue_rate, bucket_distribution, roll_rate, flow_rate, vintage, cure_rate, recovery…',
  },
  collection_actions: { zh: '催收行动', grain: 'one row per collection action (call, SMS, visit…)', metrics: 'contact_rate, ptp, collector performance, contact heatmap' },
  transactions: { zh: '交易流水', grain: 'one row per account transaction', metrics: 'rfm, fund_flow (sankey, net flow, alerts), transaction heatmaps' },
  funnel_events: { zh: '营销漏斗事件', grain: 'one row per user reaching a stage', metrics: 'funnel (conversion, drop-off, cost per conversion with campaign_spend)' },
  campaign_spend: { zh: '营销投放费用', grain: 'one row per campaign, channel and day', metrics: 'funnel (cost per stage)' },
};

/** Column notes where the name alone does not say enough. */
const NOTES: Record<string, string> = {
  'customers.birth_year': 'four-digit year',
  'customers.open_date': 'account opening date',
  'customers.aum': 'assets under management (CNY)',
  'loans.principal': 'amount issued (CNY)',
  'loans.annual_rate': 'decimal, 0.0367 = 3.67 %',
  'loan_months.snapshot_date': 'month-end date of the snapshot',
  'loan_months.outstanding': 'principal outstanding at the snapshot (CNY)',
  'loan_months.dpd': 'days past due at the snapshot; buckets M0 = 0, M1 = 1–30, M2 = 31–60 …',
  'loan_months.due_amount': 'amount due in the month',
  'loan_months.paid_amount': 'amount repaid in the month',
  'collection_actions.contacted': 'the debtor was reached (true/false)',
  'collection_actions.ptp': 'promise to pay obtained',
  'collection_actions.ptp_amount': 'promised amount',
  'collection_actions.ptp_due_date': 'date the promise falls due',
  'transactions.txn_time': 'date and time (local time zone of the load, default Asia/Shanghai)',
  'transactions.amount': 'absolute amount; the sign is in `direction`',
  'transactions.cross_border': 'true/false',
  'transactions.cash': 'true/false',
  'funnel_events.stage': 'stage name; the funnel order comes from the request or first appearance',
};

const TYPE: Record<string, string> = { cat: 'text', num: 'number', date: 'date', bool: 'boolean' };

function rule(f: FieldSpec): string {
  const parts: string[] = [];
  if (f.nonNegative) parts.push('≥ 0');
  if (f.range) parts.push(`${f.range[0]} … ${f.range[1]}`);
  if (f.values) parts.push(f.values.map((v) => `\`${v}\``).join(', '));
  return parts.join('; ');
}

export function renderDataDocs(): string {
  const sample = generateSample({ customers: 40, seed: 11 });
  const out: string[] = [];
  out.push('# Data: the canonical datasets');
  out.push('');
  out.push('<!-- Generated from src/data/schemas.ts and the seeded sample by test/unit/data/data-docs.ts;');
  out.push('     `FINBOARD_UPDATE_DOCS=1 npx vitest run test/unit/data/data-docs.test.ts` rewrites it. -->');
  out.push('');
  out.push('Every metric reads one or more of these datasets. Load yours under these names with');
  out.push('`engine.load(name, input, { fields })`, where `fields` maps a canonical column to your column');
  out.push("name (`{ loan_id: 'LoanNo' }`). Input can be rows (objects), columns, CSV or JSON text or a URL,");
  out.push('Arrow IPC bytes, or an Arquero table. Column names are case-sensitive.');
  out.push('');
  out.push('- **Required** columns must exist; a row missing a required value is rejected and counted in the');
  out.push("  load's `DataQualityReport` (the element then shows its partial state with the reasons).");
  out.push('- **Types**: `text` (identifiers stay text: leading zeros kept), `number` (decimal notation;');
  out.push('  hex/octal/binary literals, `Infinity` and numbers with trailing text are counted as');
  out.push('  `unparseable_number`), `date` (`YYYY-MM-DD`, `YYYY-MM-DD HH:mm[:ss]` with `/` or `T` also, or');
  out.push('  epoch milliseconds), `boolean` (JSON booleans or `true`/`false`).');
  out.push('- **PII** columns are masked at ingestion (phone `138****1234`, ID `110***********1234`, card first 6');
  out.push('  + last 4, names `张*`) before any metric, tooltip or export sees them; `unmask: true` on the load');
  out.push('  keeps them. Other columns are kept as given.');
  out.push('- **Key**: rows repeating the key are removed and counted as duplicates.');
  out.push('- Extra columns are kept and can be used in filters and group-bys.');
  out.push('');
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    const d = DATASETS[name];
    out.push(`## \`${name}\`${d ? ` (${d.zh})` : ''}`);
    out.push('');
    if (d) {
      out.push(`${d.grain[0]!.toUpperCase()}${d.grain.slice(1)}. Read by: ${d.metrics}.`);
      out.push('');
    }
    out.push(`Key: ${schema.key.length ? schema.key.map((k) => `\`${k}\``).join(' + ') : 'none (every row counts)'}.`);
    out.push('');
    out.push('| column | type | required | PII | allowed values | notes |');
    out.push('|---|---|---|---|---|---|');
    for (const [col, f] of Object.entries(schema.fields)) {
      out.push(`| \`${col}\` | ${TYPE[f.type] ?? f.type} | ${f.required ? 'yes' : ''} | ${f.pii ?? ''} | ${rule(f)} | ${NOTES[`${name}.${col}`] ?? ''} |`);
    }
    out.push('');
    const cols = Object.keys(schema.fields);
    const rows = sampleToRows(sample, name as never).slice(0, 10);
    out.push('```csv');
    out.push(cols.join(','));
    for (const r of rows) out.push(cols.map((c) => (r[c] === null || r[c] === undefined ? '' : csvCell(r[c]))).join(','));
    out.push('```');
    out.push('');
  }
  return out.join('\n');
}
