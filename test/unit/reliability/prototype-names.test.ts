/**
 * Object-prototype names as data (issue 13 #1). A category called `constructor`, `toString`,
 * `valueOf`, `hasOwnProperty`, `__proto__`… must behave like any other string wherever a data string
 * becomes a key: engine group-bys and lookups, Vega scale domains, axis tick values, legend values.
 * The heatmap repro (`render_failed: Operator not defined: undefined`) runs through vega-lite and a
 * CSP-mode Vega View in node, on both axes; then every string slot of every canonical dataset holds
 * prototype names and every metric still answers.
 */
import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { parse, View } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { heatmapSpec } from '../../../src/specs/heatmap.js';
import type { HeatRow } from '../../../src/specs/heatmap.js';
import { hoistTickValues } from '../../../src/specs/safe-values.js';
import { createEngine } from '../../../src/engine/create.js';
import { PROTO_NAMES, protoRows } from '../../fixtures/bad-data.js';

/**
 * Render in CSP mode, then re-render at another width (ticks leave and enter: Vega's data joins
 * look tick values up again), and fail on any error Vega logs instead of throwing.
 */
async function svgOf(spec: Record<string, unknown>): Promise<string> {
  const vg = compile(spec as never).spec;
  const errors: string[] = [];
  const logger = {
    level: () => logger,
    error: (...a: unknown[]) => errors.push(a.map(String).join(' ')),
    warn: () => logger,
    info: () => logger,
    debug: () => logger,
  };
  const view = new View(parse(vg, undefined, { ast: true }), {
    expr: expressionInterpreter,
    renderer: 'none',
  } as never);
  view.logger(logger as never);
  const svg = await view.toSVG();
  view.width(240);
  await view.runAsync();
  await view.toSVG();
  view.finalize();
  if (errors.length) throw new Error(errors.join('; '));
  return svg;
}

const colors = {
  fg: '#111',
  bg: '#fff',
  muted: '#555',
  nullFill: '#eee',
  nullStroke: '#aaa',
  accent: '#00f',
};

describe('prototype names through Vega', () => {
  it('Vega itself fails on such tick values (the cause, so the guard stays needed)', async () => {
    const raw = {
      data: { values: [{ x: 'constructor' }] },
      mark: 'point',
      encoding: { x: { field: 'x', type: 'nominal', axis: { values: ['constructor'] } } },
    };
    await expect(svgOf(structuredClone(raw))).rejects.toThrow(/Operator not defined/);
    await expect(svgOf(hoistTickValues(structuredClone(raw)))).resolves.toContain('constructor');
  });

  for (const axis of ['x', 'y'] as const) {
    it(`heatmap with every prototype name as ${axis} categories renders each label`, async () => {
      const rows: HeatRow[] = PROTO_NAMES.flatMap((p, i) => [
        axis === 'x' ? { x: p, y: '工商银行', value: i + 1 } : { x: '工商银行', y: p, value: i + 1 },
      ]);
      for (const locale of ['zh-CN', 'en-US'] as const) {
        const { spec } = heatmapSpec({
          rows,
          xDomain: axis === 'x' ? PROTO_NAMES : ['工商银行'],
          yDomain: axis === 'y' ? PROTO_NAMES : ['工商银行'],
          xPart: 'category',
          yPart: 'category',
          locale,
          width: 900,
          format: 'count',
          scheme: 'sequential',
          ramp: ['#deebf7', '#08519c'],
          colors,
          noDataLabel: '无数据',
        });
        const svg = await svgOf(spec);
        // long labels are truncated with an ellipsis at this width: their first letters are drawn
        const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
        for (const p of PROTO_NAMES)
          expect(
            texts.some((t) => t === p || (t.endsWith('…') && p.startsWith(t.slice(0, -1)))),
            p,
          ).toBe(true);
      }
    });
  }

  it('repro: engine heatmap on transactions whose category is constructor/toString/valueOf/hasOwnProperty', async () => {
    const engine = createEngine();
    const rows = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'].map((category, i) => ({
      txn_id: `T${i}`,
      customer_id: 'C1',
      txn_time: '2024-05-01 10:00:00',
      amount: 10 + i,
      direction: 'in',
      category,
      counterparty_bank: '工商银行',
    }));
    await engine.load('transactions', rows);
    const r = await engine.query({
      metric: 'heatmap',
      source: 'transactions',
      params: { x: { field: 'category' }, y: { field: 'counterparty_bank' }, measure: { agg: 'count' } },
    });
    const xDomain = r.meta!.xDomain as string[];
    expect([...xDomain].sort()).toEqual([
      '__proto__',
      'constructor',
      'hasOwnProperty',
      'toString',
      'valueOf',
    ]);
    expect((r.data as unknown as HeatRow[]).map((x) => x.value)).toEqual([1, 1, 1, 1, 1]);
    engine.dispose();
  });
});

describe('prototype names in every string slot of every dataset', () => {
  it('ingestion keeps them as values and every metric answers', async () => {
    let slots = 0;
    let answered = 0;
    const engine = createEngine();
    const all = protoRows();
    for (const [name, rows] of all) {
      const report = await engine.load(name, rows);
      expect(report.rowsKept, name).toBe(rows.length);
      slots += Object.keys(rows[0]!).length;
    }
    for (const [name, , metrics] of all) {
      for (const q of metrics) {
        const r = await engine.query(q);
        expect(r.data, `${name} ${q.metric}`).toBeTruthy();
        answered++;
      }
    }
    engine.dispose();
    console.log(
      `prototype names: ${PROTO_NAMES.length} names in ${slots} columns of 6 datasets, ${answered}/${answered} metric queries answered`,
    );
  });
});
