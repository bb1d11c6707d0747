/**
 * Exports and static sinks (issue 8).
 *
 * - CSV: 100% of cells starting with `= + - @`, tab or CR are neutralised (src/format/csv.ts), over
 *   the XSS corpus, every dangerous first character × random tails (fast-check), and whole tables
 *   read back with an independent RFC 4180 reader; numbers stay numbers.
 * - scripts/check-sinks.mjs: passes on src/ and components/, and fails on each sink it must catch
 *   (including document.write, srcdoc and d3's `.html(`).
 * - High-cardinality heatmaps: the answer stays bounded (a browser cannot draw 160,000 cells).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../../src/format/csv.js';
import { createEngine } from '../../../src/engine/create.js';
import { FORMULA_START, formulaCells, readCsv } from '../../fixtures/csv.js';
import { XSS_PAYLOADS } from '../../fixtures/xss.js';
import { validRows } from '../../fixtures/bad-data.js';

type FindSinks = (dirs?: string[]) => {
  files: number;
  hits: Array<{ file: string; line: number; sink: string; text: string }>;
};
// The script is plain JS (no types): load it by URL.
const SINKS_URL = new URL('../../../scripts/check-sinks.mjs', import.meta.url).href;
const { findSinks } = (await import(/* @vite-ignore */ SINKS_URL)) as { findSinks: FindSinks };

describe('CSV export neutralises formula cells', () => {
  it('100% of dangerous cells, over the corpus and random tails', () => {
    let dangerous = 0;
    let neutralised = 0;
    const count = (raw: string): void => {
      if (!FORMULA_START.test(raw)) return;
      dangerous++;
      const [[cell]] = readCsv(csvCell(raw)) as [[string]];
      if (cell === `'${raw}`) neutralised++;
    };
    for (const p of XSS_PAYLOADS) count(p.text);
    fc.assert(
      fc.property(
        fc.constantFrom('=', '+', '-', '@', '\t', '\r'),
        fc.string({ maxLength: 40 }),
        (head, tail) => {
          count(head + tail);
        },
      ),
      { numRuns: 3000 },
    );
    console.log(`exports: ${neutralised}/${dangerous} CSV cells starting with = + - @ tab CR neutralised`);
    expect(neutralised).to.equal(dangerous);
  });

  it('whole tables read back: no formula cell, every other value unchanged, numbers plain', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(
            fc.oneof(
              fc.string({ maxLength: 12 }),
              fc.double({ noNaN: true, noDefaultInfinity: true }),
              fc.constant(null),
            ),
            { minLength: 3, maxLength: 3 },
          ),
          { maxLength: 20 },
        ),
        fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
        (rows, comments) => {
          const text = toCsv(['a', 'b', 'c'], rows, comments);
          const recs = readCsv(text);
          expect(formulaCells(recs)).to.deep.equal([]);
          const body = recs.slice(comments.length + 1);
          expect(body.length).to.equal(rows.length);
          rows.forEach((r, i) =>
            r.forEach((v, j) => {
              const got = body[i]![j]!;
              if (v === null) expect(got).to.equal('');
              else if (typeof v === 'number') expect(Number(got)).to.equal(v === 0 ? 0 : v);
              else expect(FORMULA_START.test(v) ? `'${v}` : v).to.equal(got);
            }),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('scripts/check-sinks.mjs', () => {
  it('passes on src/ and components/', () => {
    const { files, hits } = findSinks(['src', 'components']);
    console.log(`sinks: ${files} files scanned, ${hits.length} sinks`);
    expect(hits).to.deep.equal([]);
  });

  it('catches every sink, one file each', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sinks-'));
    const cases: Record<string, string> = {
      innerHTML: 'el.innerHTML = s;',
      outerHTML: 'el.outerHTML = s;',
      insertAdjacentHTML: "el.insertAdjacentHTML('beforeend', s);",
      unsafeHTML: "import { unsafeHTML } from 'lit/directives/unsafe-html.js';",
      unsafeSVG: 'html`${unsafeSVG(s)}`;',
      'eval(': 'eval(s);',
      'new Function': "const f = new Function('a', s);",
      'document.write': 'document.write(s);',
      'document.writeln': 'document . writeln(s);',
      srcdoc: 'frame.srcdoc = s;',
      '.html(': "select(node).append('text').html(label);",
      createContextualFragment: 'range.createContextualFragment(s);',
      setHTMLUnsafe: 'el.setHTMLUnsafe(s);',
      'string timer': "setTimeout('run()', 10);",
    };
    try {
      Object.entries(cases).forEach(([name, line], i) =>
        writeFileSync(join(dir, `f${i}.ts`), `// ${name}\n${line}\n`),
      );
      writeFileSync(
        join(dir, 'clean.ts'),
        'const t = html`<b>${s}</b>`;\nel.textContent = s;\nsetTimeout(() => run(), 10);\n',
      );
      const { hits } = findSinks([dir]);
      const caught = new Set(hits.map((h) => h.file.replace(/.*\//, '')));
      const missed = Object.keys(cases).filter((_, i) => !caught.has(`f${i}.ts`));
      console.log(
        `sinks: ${Object.keys(cases).length - missed.length}/${Object.keys(cases).length} sink kinds caught, 0 false alarms on clean code`,
      );
      expect(missed).to.deep.equal([]);
      expect(caught.has('clean.ts')).to.equal(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('high-cardinality axes', () => {
  it('a heatmap over 400 × 400 distinct categories answers with a bounded number of cells', async () => {
    const rows = validRows('transactions', 400, 5).map((t, i) => ({
      ...t,
      category: `说明 ${i}`,
      counterparty_bank: `银行 ${i}`,
    }));
    const engine = createEngine();
    await engine.load('transactions', rows);
    const r = await engine.query({
      metric: 'heatmap',
      source: 'transactions',
      params: { x: { field: 'category' }, y: { field: 'counterparty_bank' }, measure: { agg: 'count' } },
    });
    console.log(`cardinality: heatmap over 400 × 400 categories from 400 rows → ${r.data.length} cells`);
    // 400 rows can fill at most 400 cells; a dense 400 × 400 grid freezes <fin-heatmap> for over a minute.
    expect(r.data.length).to.be.at.most(10_000);
  });
});
