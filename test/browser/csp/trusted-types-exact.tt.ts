/**
 * The exact Trusted Types directive docs/embedding.md gives hosts (issue 13 #7), on a page whose
 * policy names only Finboard's one policy:
 *
 *   require-trusted-types-for 'script'; trusted-types lit-html
 *
 * (web-test-runner.config.mjs, group csp-trusted-types-exact). Importing every element and
 * rendering each from an in-thread engine's answer works with 0 violations, and any other policy
 * name is refused — so the page really enforces the allowlist, and the library needs no other name.
 */
import { expect } from '@open-wc/testing';
import '../../../components/index.js';
import { createEngine } from '../../../src/engine/create.js';
import type { MetricResult, QueryRequest } from '../../../src/engine/types.js';
import { ELEMENT_CASES, figure, settle, sleep } from '../reliability/helpers.js';
import type { AnyFin } from '../reliability/helpers.js';

const violations: string[] = [];
document.addEventListener('securitypolicyviolation', (e) =>
  violations.push(`${e.violatedDirective} ${e.sample}`),
);

const csp =
  document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '';
const tt = (globalThis as unknown as { trustedTypes?: { createPolicy(n: string, r: object): unknown } })
  .trustedTypes;

const REQUESTS: Record<string, QueryRequest> = {
  'fin-kpi-card': {
    metric: 'kpi',
    source: 'loan_months',
    params: { measure: { agg: 'sum', field: 'outstanding' }, stock: true },
  },
  'fin-funnel': { metric: 'funnel', source: 'funnel_events' },
  'fin-heatmap': { metric: 'heatmap', params: { preset: 'txn-weekday-hour' } },
  'fin-cohort': { metric: 'cohort' },
  'fin-rfm': { metric: 'rfm' },
  'fin-overdue-trend': { metric: 'bucket_trend' },
  'fin-fund-flow': { metric: 'sankey' },
  'fin-table': { metric: 'collector_performance' },
  // mining-cluster
  'fin-cluster': { metric: 'cluster', params: { restarts: 1, kMax: 3, includeAssignments: true, limit: 3000 } },
  'fin-profile': { metric: 'profile', source: 'customers', params: { group: { segment: 'important_value' } } },
  // mining: model monitoring
  'fin-model': { metric: 'model_monitor' },
};

describe('Trusted Types: trusted-types lit-html, exactly', () => {
  it('the page enforces exactly the documented directive', () => {
    expect(csp).to.contain("require-trusted-types-for 'script'; trusted-types lit-html");
    expect(csp).not.to.match(/trusted-types lit-html \S/);
    expect(tt !== undefined, 'Trusted Types API').to.equal(true);
    const seen = violations.length;
    expect(() => tt!.createPolicy('not-finboard', {})).to.throw();
    return new Promise<void>((resolve) =>
      setTimeout(() => (expect(violations.length).to.equal(seen + 1), resolve()), 50),
    );
  });

  it('every element renders with 0 violations', async function () {
    this.timeout(90_000);
    const before = violations.length; // the refused probe policy above is one
    const engine = createEngine();
    await engine.loadSample({ customers: 200 });
    const states: string[] = [];
    for (const c of ELEMENT_CASES) {
      const el = document.createElement(c.tag) as AnyFin;
      el.style.display = 'block';
      el.style.width = '640px';
      if (c.tag === 'fin-heatmap') el.preset = 'txn-weekday-hour';
      el.result = (await engine.query(REQUESTS[c.tag]!)) as MetricResult;
      document.body.append(el);
      states.push(`${c.tag}:${await settle(el)}`);
      el.view = 'table';
      await el.updateComplete;
      el.remove();
    }
    engine.dispose();
    await sleep(50);
    figure(
      `trusted-types lit-html (exact): ${ELEMENT_CASES.length} elements, ${states.filter((s) => /:(ok|partial)$/.test(s)).length} rendered, ${violations.length - before} violations`,
    );
    expect(violations.slice(before)).to.deep.equal([]);
    expect(states.filter((s) => !/:(ok|partial)$/.test(s))).to.deep.equal([]);
  });
});
