/**
 * The mining metrics (`cluster`, `score`, `model_monitor`, `profile`) are registered here as lazy
 * definitions whose implementation — with ml-kmeans and ml-cart — loads on first use through a dynamic
 * `import()`: a page that never clusters or scores does not download them, and the headless core
 * entry stays inside its budget. `LocalEngine.query()` awaits `preload()` before running a metric;
 * a synchronous run before that fails with `not_ready`.
 */
import { FinError } from '../errors.js';
import type { MetricDef } from '../metric.js';

let impl: Map<string, MetricDef> | null = null;
let loading: Promise<void> | null = null;

/** Load the mining implementation once (idempotent; later calls share the same promise). */
export function loadMining(): Promise<void> {
  loading ??= import('./mining.js').then((m) => {
    impl = new Map(m.MINING_METRICS.map((d) => [d.id, d]));
  });
  return loading;
}

function lazyDef(id: string, source: string, reads: string[]): MetricDef {
  return {
    id,
    source,
    reads,
    preload: loadMining,
    run(ctx, params, src) {
      const def = impl?.get(id);
      if (!def) {
        throw new FinError(
          'not_ready',
          `Metric "${id}" is loaded on first use: call the async query() (or await preload())`,
          { metric: id },
        );
      }
      return def.run(ctx, params, src);
    },
  };
}

export const MINING_STUBS: MetricDef[] = [
  lazyDef('cluster', 'transactions', ['customers', 'loans', 'loan_months']),
  lazyDef('score', 'loans', ['loan_months', 'customers', 'transactions']),
  lazyDef('model_monitor', 'loans', ['loan_months', 'customers', 'transactions']),
  lazyDef('profile', 'customers', ['transactions', 'loans', 'loan_months']),
];
