import type { ColumnType } from './columns.js';

/** One column of a canonical dataset. */
export interface FieldSpec {
  type: ColumnType;
  /** Missing column is an error; missing cell rejects the row. */
  required?: boolean;
  /** Personally identifiable: masked at ingestion unless `unmask` is granted. */
  pii?: 'phone' | 'id_number' | 'card' | 'account' | 'name';
  /** Negative values are rejected. */
  nonNegative?: boolean;
  /** Allowed range, inclusive. */
  range?: [number, number];
  /** Allowed category values. */
  values?: string[];
}

export interface DatasetSchema {
  /** Columns whose combination must be unique (duplicates are removed and counted). */
  key: string[];
  fields: Record<string, FieldSpec>;
}

/** The canonical datasets of METRICS.md. Identifier and PII columns are strings (`cat`). */
export const SCHEMAS: Record<string, DatasetSchema> = {
  customers: {
    key: ['customer_id'],
    fields: {
      customer_id: { type: 'cat', required: true },
      name: { type: 'cat', pii: 'name' },
      phone: { type: 'cat', pii: 'phone' },
      id_number: { type: 'cat', pii: 'id_number' },
      gender: { type: 'cat' },
      birth_year: { type: 'num', range: [1900, 2030] },
      city: { type: 'cat' },
      region: { type: 'cat' },
      segment: { type: 'cat' },
      open_date: { type: 'date' },
      aum: { type: 'num', nonNegative: true },
      // Mining attributes (issue 15): optional; the sample generator fills them.
      city_tier: { type: 'cat' },
      products: { type: 'num', nonNegative: true },
      risk_grade: { type: 'cat' },
    },
  },
  loans: {
    key: ['loan_id'],
    fields: {
      loan_id: { type: 'cat', required: true },
      customer_id: { type: 'cat' },
      product: { type: 'cat' },
      channel: { type: 'cat' },
      region: { type: 'cat' },
      issue_date: { type: 'date', required: true },
      principal: { type: 'num', required: true, nonNegative: true },
      term_months: { type: 'num', range: [0, 600] },
      annual_rate: { type: 'num', range: [0, 10] },
    },
  },
  loan_months: {
    key: ['loan_id', 'snapshot_date'],
    fields: {
      loan_id: { type: 'cat', required: true },
      snapshot_date: { type: 'date', required: true },
      outstanding: { type: 'num', required: true, nonNegative: true },
      dpd: { type: 'num', required: true, range: [0, 100000] },
      due_amount: { type: 'num', nonNegative: true },
      paid_amount: { type: 'num', nonNegative: true },
      status: { type: 'cat', values: ['active', 'closed', 'written_off'] },
    },
  },
  collection_actions: {
    key: ['action_id'],
    fields: {
      action_id: { type: 'cat', required: true },
      case_id: { type: 'cat' },
      loan_id: { type: 'cat' },
      customer_id: { type: 'cat' },
      collector_id: { type: 'cat', required: true },
      team: { type: 'cat' },
      action_time: { type: 'date', required: true },
      channel: { type: 'cat', required: true, values: ['phone', 'sms', 'ivr', 'visit', 'legal'] },
      contacted: { type: 'bool' },
      ptp: { type: 'bool' },
      ptp_amount: { type: 'num', nonNegative: true },
      ptp_due_date: { type: 'date' },
      paid_amount: { type: 'num', nonNegative: true },
      cost: { type: 'num', nonNegative: true },
    },
  },
  transactions: {
    key: ['txn_id'],
    fields: {
      txn_id: { type: 'cat', required: true },
      customer_id: { type: 'cat', required: true },
      account_no: { type: 'cat', pii: 'account' },
      txn_time: { type: 'date', required: true },
      amount: { type: 'num', required: true, nonNegative: true },
      direction: { type: 'cat', required: true, values: ['in', 'out'] },
      category: { type: 'cat' },
      channel: { type: 'cat' },
      counterparty_type: { type: 'cat', values: ['individual', 'company', 'platform'] },
      counterparty_bank: { type: 'cat' },
      cross_border: { type: 'bool' },
      cash: { type: 'bool' },
    },
  },
  funnel_events: {
    key: [],
    fields: {
      user_id: { type: 'cat', required: true },
      event_time: { type: 'date', required: true },
      stage: { type: 'cat', required: true },
      channel: { type: 'cat' },
      campaign: { type: 'cat' },
    },
  },
  campaign_spend: {
    key: ['campaign', 'channel', 'date'],
    fields: {
      campaign: { type: 'cat', required: true },
      channel: { type: 'cat' },
      date: { type: 'date', required: true },
      spend: { type: 'num', required: true, nonNegative: true },
    },
  },
};

/** The schema of a canonical dataset, or undefined (safe for any name, `constructor` included). */
export function schemaOf(dataset: string): DatasetSchema | undefined {
  return Object.hasOwn(SCHEMAS, dataset) ? SCHEMAS[dataset] : undefined;
}

/** Column types of a canonical dataset (for `datasetFromColumns`). */
export function typesOf(dataset: string): Record<string, ColumnType> {
  const s = schemaOf(dataset);
  const out: Record<string, ColumnType> = {};
  if (s) for (const [k, f] of Object.entries(s.fields)) out[k] = f.type;
  return out;
}
