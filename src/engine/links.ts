/**
 * Links between canonical datasets, in the order the engine tries them: a field a dataset lacks is
 * read through its key (`loan_months.region` through `loan_id → loans`, then loans → customers).
 * Shared by the engine's column resolution (context.ts) and the dashboard's selection scope.
 */
export const LINKS: ReadonlyArray<{ key: string; target: string }> = [
  { key: 'loan_id', target: 'loans' },
  { key: 'customer_id', target: 'customers' },
];
