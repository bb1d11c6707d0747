/**
 * Malformed data in the elements (issue 8): seeded hostile datasets (test/fixtures/bad-data.ts)
 * handed to every analytic element, half through `.data` (+ `fields`), half through an `.engine`
 * that loaded them. Every run must end in ok / partial / empty / error with no uncaught exception
 * or unhandled rejection, the quality counts must equal the injected bad values, and no SVG
 * geometry attribute (shadow roots walked) nor SVG export may hold NaN or Infinity.
 *
 * The headless half (1,200 datasets × every metric) is test/unit/reliability/malformed.test.ts.
 */
import { expect } from '@open-wc/testing';
import { createEngine } from '../../../src/engine/create.js';
import type { DataQualityReport } from '../../../src/data/quality.js';
import type { FinQualityDetail } from '../../../components/base/events.js';
import { badDataset, diffReport, REASONS } from '../../fixtures/bad-data.js';
import type { BadDataset } from '../../fixtures/bad-data.js';
import { ELEMENT_CASES, badGeometry, figure, settle, trapErrors } from './helpers.js';
import type { AnyFin, ElementCase } from './helpers.js';

const RUNS_PER_ELEMENT = 16;

/** The ingestion report as the element reported it through `fin-quality` (its `excluded` has every reason). */
function ingestionEvent(events: FinQualityDetail[]): FinQualityDetail | undefined {
  return events.find((d) => REASONS.every((k) => Object.hasOwn(d.excluded ?? {}, k)));
}

interface RunResult {
  state: string;
  code?: string;
  qualityChecked: boolean;
  qualityDiff: string[];
  geometry: string[];
}

async function runOne(c: ElementCase, d: BadDataset, viaEngine: boolean): Promise<RunResult> {
  const events: FinQualityDetail[] = [];
  const fields = Object.keys(d.fields).length ? d.fields : null;
  let report: DataQualityReport | null = null;
  let loadError: string | null = null;
  const props: Record<string, unknown> = { ...(c.props ?? {}) };
  if (viaEngine) {
    const engine = createEngine();
    try {
      report = await engine.load(d.name, d.input as never, fields ? { fields } : {});
    } catch (e) {
      loadError = (e as { code?: string }).code ?? 'thrown';
    }
    props.engine = engine;
    props.source = d.name;
  } else {
    props.fields = fields;
    props.data = d.input;
  }
  const el = document.createElement(c.tag) as AnyFin;
  el.addEventListener('fin-quality', (e) => events.push((e as CustomEvent<FinQualityDetail>).detail));
  for (const [k, v] of Object.entries(props)) el[k] = v;
  el.style.display = 'block';
  el.style.width = '560px';
  document.body.append(el);
  const out: RunResult = { state: '', qualityChecked: false, qualityDiff: [], geometry: [] };
  try {
    out.state = await settle(el);
    out.code = (el as unknown as { failure?: { code: string } }).failure?.code;
    out.geometry = badGeometry(el);
    if ((out.state === 'ok' || out.state === 'partial') && c.vega && el.view_) {
      const svg = await el.svg();
      const m =
        svg && /(?:\s(?:d|x|y|width|height|transform|points|cx|cy|r)="[^"]*(?:NaN|Infinity)[^"]*")/.exec(svg);
      if (m) out.geometry.push(`export:${m[0].slice(0, 60)}`);
    }
    // Quality counts: the engine's report (via .engine) or the element's fin-quality event (via .data).
    const exp = d.expected;
    if (viaEngine) {
      if (exp.error) {
        out.qualityChecked = true;
        if (loadError !== exp.error)
          out.qualityDiff.push(`load: expected ${exp.error}, got ${loadError ?? 'a report'}`);
      } else if (report) {
        out.qualityChecked = true;
        out.qualityDiff = diffReport(exp, report);
      } else out.qualityDiff.push(`load failed: ${loadError}`);
    } else if (exp.error) {
      out.qualityChecked = true;
      if (out.code !== exp.error)
        out.qualityDiff.push(`state ${out.state}/${out.code}, expected ${exp.error}`);
    } else {
      const ev = ingestionEvent(events);
      const anyBad = REASONS.some((k) => exp.rejected[k] > 0) || Object.keys(exp.coerced).length > 0;
      out.qualityChecked = true;
      if (anyBad && !ev) out.qualityDiff.push('no fin-quality event for a dataset with bad values');
      if (!anyBad && ev) out.qualityDiff.push('fin-quality event for a clean dataset');
      if (ev)
        out.qualityDiff = diffReport(exp, { rowsRead: ev.rows, rowsKept: ev.used, rejected: ev.excluded });
    }
  } finally {
    el.remove();
  }
  return out;
}

describe('malformed data in the elements', () => {
  it(`${ELEMENT_CASES.length} elements × ${RUNS_PER_ELEMENT} seeded hostile datasets end in a named state, counts exact, geometry finite`, async function () {
    // 300 s: fin-cluster and fin-profile (K-means and profiles in the page thread) added 32 runs.
    this.timeout(300_000);
    const trap = trapErrors();
    const states: Record<string, number> = {};
    const problems: string[] = [];
    let runs = 0;
    let checked = 0;
    let matched = 0;
    let geometryBad = 0;
    const t0 = performance.now();
    try {
      for (const [ci, c] of ELEMENT_CASES.entries()) {
        for (let k = 0; k < RUNS_PER_ELEMENT; k++) {
          const seed = 50_000 + ci * 1000 + k;
          const d = badDataset(seed, { name: c.dataset });
          const r = await runOne(c, d, k % 2 === 1);
          runs++;
          states[r.state] = (states[r.state] ?? 0) + 1;
          if (r.qualityChecked) {
            checked++;
            if (!r.qualityDiff.length) matched++;
            else problems.push(`${c.tag} seed ${seed} ${d.format}: ${r.qualityDiff.join('; ')}`);
          }
          if (r.geometry.length) {
            geometryBad++;
            problems.push(`${c.tag} seed ${seed}: NaN/Infinity geometry ${r.geometry.slice(0, 2).join(' ')}`);
          }
          if (r.state === 'timeout') problems.push(`${c.tag} seed ${seed}: never left loading`);
        }
      }
      // One 100k-row dataset through .data.
      const big = badDataset(424242, { name: 'loan_months', format: 'columnar', rows: 100_000 });
      const r = await runOne(
        ELEMENT_CASES.find((c) => c.tag === 'fin-overdue-trend')!,
        big,
        false,
      );
      runs++;
      states[r.state] = (states[r.state] ?? 0) + 1;
      checked++;
      if (!r.qualityDiff.length) matched++;
      else problems.push(`100k: ${r.qualityDiff.join('; ')}`);
      if (r.geometry.length) problems.push(`100k geometry ${r.geometry[0]}`);
    } finally {
      trap.stop();
    }
    const s = (k: string): number => states[k] ?? 0;
    figure(
      `malformed(browser): ${runs} element runs in ${((performance.now() - t0) / 1000).toFixed(1)} s, ` +
        `${trap.errors.length + trap.rejections.length} uncaught — ok ${s('ok')}, partial ${s('partial')}, empty ${s('empty')}, ` +
        `error ${s('error')}, timeout ${s('timeout')}; quality counts match ${matched}/${checked}; ` +
        `${geometryBad} runs with NaN/Infinity geometry`,
    );
    expect([...trap.errors, ...trap.rejections], 'uncaught errors / unhandled rejections').to.deep.equal([]);
    expect(s('timeout')).to.equal(0);
    expect(problems.slice(0, 15)).to.deep.equal([]);
  });
});
