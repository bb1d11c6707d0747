/**
 * Soak (issue 8): 1,000 connect/disconnect cycles of every element over 10k rows. Not in `npm test`:
 * run with `npm run test:soak` (web-test-runner --group soak, Chromium with --expose-gc).
 */
import { expect } from '@open-wc/testing';
import { figure } from '../helpers.js';
import { runCycles } from '../gc/cycles.js';

describe('soak', () => {
  it('1,000 connect/disconnect cycles of each element over 10k rows', async function () {
    this.timeout(3_600_000);
    const r = await runCycles(1000, 10_000);
    figure(`soak ${r.line}`);
    expect(r.errors.slice(0, 10)).to.deep.equal([]);
    expect(r.unfinalized).to.equal(0);
    expect(r.observing).to.equal(0);
    expect(r.listeners).to.equal(0);
    expect(r.heapGrowth, 'needs --js-flags=--expose-gc').to.not.equal(null);
    expect(r.heapGrowth!).to.be.lessThan(0.1);
  });
});
