/**
 * Documented param variants (docs/metrics.md) of the loan-level metrics compiled to SQL in
 * src/server/sql/vintage.ts …: merged into PARAM_VARIANTS (variants.ts). The first three of each
 * meet every filter set of the differential suite; bad params must give the same typed errors.
 */
export const LOAN_VARIANTS: Record<string, Array<Record<string, unknown>>> = {
  vintage: [
    {},
    { variant: 'ever' },
    { measure: 'count', d: 0 },
    { variant: 'ever', measure: 'count' },
    { d: 90, maxMob: 3 },
    { maxMob: 0, variant: 'ever' },
    { d: 30, variant: 'current', measure: 'amount', maxMob: null },
    { d: 12.5, measure: 'count' },
    // bad params
    { d: -1 },
    { variant: 'sometimes' },
    { measure: 'loans' },
    { maxMob: 1.5 },
    { maxMob: -2 },
    { d: 'x' },
  ],
};
