import { describe, expect, it } from 'vitest';
import { fieldHome, selectionApplies } from '../../../src/dashboard/scope.js';

const columns = new Map<string, Set<string>>(
  Object.entries({
    customers: ['customer_id', 'region', 'segment', 'city'],
    loans: ['loan_id', 'customer_id', 'product', 'channel', 'issue_date'],
    loan_months: ['loan_id', 'snapshot_date', 'dpd', 'outstanding'],
    collection_actions: ['action_id', 'loan_id', 'collector_id', 'channel', 'action_time'],
    transactions: ['txn_id', 'customer_id', 'channel', 'txn_time', 'amount'],
  }).map(([k, v]) => [k, new Set(v)]),
);

describe('selection scope', () => {
  it('resolves a field to the dataset whose column it is, by the engine key links', () => {
    expect(fieldHome(columns, 'loan_months', 'product')).toBe('loans');
    expect(fieldHome(columns, 'loan_months', 'region')).toBe('customers'); // loans → customers
    expect(fieldHome(columns, 'collection_actions', 'channel')).toBe('collection_actions');
    expect(fieldHome(columns, 'loan_months', 'channel')).toBe('loans');
    expect(fieldHome(columns, 'transactions', 'segment')).toBe('customers');
    expect(fieldHome(columns, 'transactions', 'txn_time.month')).toBe('transactions');
    expect(fieldHome(columns, 'loan_months', 'issue_date.month')).toBe('loans');
    expect(fieldHome(columns, 'loan_months', 'rfm_segment')).toBe(null);
    expect(fieldHome(columns, 'nope', 'region')).toBe(null);
    // keys are one entity wherever they appear (an RFM segment's customers filter transactions and loans)
    expect(fieldHome(columns, 'transactions', 'customer_id')).toBe('customers');
    expect(fieldHome(columns, 'loans', 'customer_id')).toBe('customers');
    expect(fieldHome(columns, 'loan_months', 'customer_id')).toBe('customers');
    expect(fieldHome(columns, 'collection_actions', 'loan_id')).toBe('loans');
    expect(selectionApplies(columns, 'transactions', 'loan_months', 'customer_id')).toBe(true);
    expect(selectionApplies(columns, 'transactions', 'customers', 'customer_id')).toBe(true);
  });

  it('applies a selection only where the field is the same column', () => {
    // an action channel (phone, SMS) is not a loan's origination channel
    expect(selectionApplies(columns, 'collection_actions', 'loan_months', 'channel')).toBe(false);
    expect(selectionApplies(columns, 'collection_actions', 'collection_actions', 'channel')).toBe(true);
    expect(selectionApplies(columns, 'transactions', 'loan_months', 'channel')).toBe(false);
    // region is the customers' column from everywhere
    expect(selectionApplies(columns, 'transactions', 'loan_months', 'region')).toBe(true);
    expect(selectionApplies(columns, 'loans', 'collection_actions', 'product')).toBe(true);
    // unknown: applied (the engine skips what it cannot resolve and notes it)
    expect(selectionApplies(columns, undefined, 'loan_months', 'channel')).toBe(true);
    expect(selectionApplies(null, 'collection_actions', 'loan_months', 'channel')).toBe(true);
    expect(selectionApplies(columns, 'transactions', 'loan_months', 'rfm_segment')).toBe(true);
  });
});
