/**
 * Personal numbers by shape (issue 13 #3, #4): in identifier columns whatever their share, and in
 * every text column whether or not they pass a checksum. Nothing of such a value survives ingestion
 * in clear — in any cell, in any metric output (RFM members, alerts, collector table, sankey, fund
 * flow) — and masked identifiers still join across datasets. Prints one figure.
 */
import { describe, expect, it } from 'vitest';
import { ingestSync } from '../../../src/data/ingest.js';
import { cellValue } from '../../../src/data/dataset.js';
import type { Dataset } from '../../../src/data/dataset.js';
import { SCHEMAS } from '../../../src/data/schemas.js';
import { maskIdentifier, maskShapes, scanShapes } from '../../../src/data/pii-shapes.js';
import { createEngine } from '../../../src/engine/create.js';
import { BAD_DATASETS, METRIC_REQUESTS, validRows } from '../../fixtures/bad-data.js';
import { piiShapes } from '../../fixtures/pii.js';

const SHAPES = piiShapes();
/** Text with separators removed, so a spaced or dashed number is found as its digits. */
const flat = (s: string): string => s.replace(/[\s-]/g, '');

function cells(ds: Dataset): string[] {
  const out: string[] = [];
  for (const c of Object.keys(ds.cols))
    for (let i = 0; i < ds.n; i++) out.push(String(cellValue(ds.cols[c]!, i)));
  return out;
}

/** Columns a personal number can be slipped into: text columns that are not declared PII or enums. */
function textColumns(name: string): string[] {
  const s = SCHEMAS[name]!;
  return Object.entries(s.fields)
    .filter(([, f]) => f.type === 'cat' && !f.pii && !f.values)
    .map(([k]) => k);
}

describe('shapes', () => {
  it('finds every shape, and masks it idempotently', () => {
    for (const { shape, value, digits } of SHAPES) {
      expect(scanShapes(`备注 ${value} 完`).length, shape).toBe(1);
      const m = maskShapes(`备注 ${value} 完`);
      expect(flat(m), shape).not.toContain(digits);
      expect(maskShapes(m), shape).toBe(m);
    }
  });
  it('leaves ordinary ids, amounts, dates and short numbers alone', () => {
    for (const s of [
      'LN000123',
      'TX000000001',
      '2024-05-01 10:00:00',
      '1,234,567.89',
      '12345678901',
      '0.13812345678',
      '2024-01-05 2024-02-05',
      'CU000017',
    ])
      expect(maskShapes(s), s).toBe(s);
  });
  it('identifier tokens: masked, distinct per raw value, equal for the same raw value', () => {
    const a = maskIdentifier('13800138000');
    expect(a).toMatch(/^138\*{4}8000#[0-9a-z]{14}$/);
    expect(maskIdentifier('13800138000')).toBe(a);
    expect(maskIdentifier('13800138001')).not.toBe(a);
    expect(maskIdentifier('CU000001')).toBe('CU000001');
  });
});

describe('issue 13 #3 repro: personal numbers in identifier columns, whatever their share', () => {
  it('one customer_id in 40 that is a mobile / ID / card number is masked; joins still work', async () => {
    for (const raw of ['13800138000', '110101199003074578', '6222021234567890123']) {
      const txns = validRows('transactions', 40, 3).map((r, i) => (i === 5 ? { ...r, customer_id: raw } : r));
      const loans = validRows('loans', 20, 4).map((r, i) => (i === 2 ? { ...r, customer_id: raw } : r));
      const t = ingestSync('transactions', txns);
      expect(
        cells(t.dataset).some((c) => c.includes(raw)),
        raw,
      ).toBe(false);
      expect(t.report.warnings.map((w) => w.code)).toContain('pii_in_identifier');
      expect(t.report.maskedColumns).toContain('customer_id');
      const l = ingestSync('loans', loans);
      const tokenT = cellValue(t.dataset.cols.customer_id!, 5);
      const tokenL = cellValue(l.dataset.cols.customer_id!, 2);
      expect(tokenT).toBe(tokenL); // same raw id → same token in both datasets: joins intact
      expect(String(tokenT)).toContain('#');
      // other ids untouched
      expect(cellValue(t.dataset.cols.customer_id!, 6)).toBe(txns[6]!.customer_id);
    }
  });
  it('collector_id holding mobile numbers never reaches the collector table in clear', async () => {
    const engine = createEngine();
    const rows = validRows('collection_actions', 60, 2).map((r, i) =>
      i % 20 === 0 ? { ...r, collector_id: '13800138000' } : r,
    );
    await engine.load('collection_actions', rows);
    const r = await engine.query({ metric: 'collector_performance' });
    const text = JSON.stringify(r);
    expect(text).not.toContain('13800138000');
    expect(text).toMatch(/138\*{4}8000#/);
    engine.dispose();
  });
});

describe('issue 13 #4 repro: checksum-failing shapes in free text', () => {
  it('sankey categories 11010119900307457X and "6222 0212 3456 7890" are masked', async () => {
    const engine = createEngine();
    const rows = validRows('transactions', 40, 9).map((r, i) =>
      i % 2 ? { ...r, category: '11010119900307457X' } : { ...r, counterparty_bank: '6222 0212 3456 7890' },
    );
    await engine.load('transactions', rows);
    const text = JSON.stringify(await engine.query({ metric: 'sankey' }));
    expect(text).not.toContain('11010119900307457X');
    expect(flat(text)).not.toContain('6222021234567890');
    expect(text).toContain('110***********457X');
    engine.dispose();
  });
});

describe('every shape in every text and id column of every dataset', () => {
  it('no cell keeps the digits; every metric output is clean', async () => {
    let slots = 0;
    let masked = 0;
    for (const name of BAD_DATASETS) {
      for (const col of textColumns(name)) {
        for (const { shape, value, digits } of SHAPES) {
          const rows = validRows(name, 40, 1).map((r, i) => (i === 3 ? { ...r, [col]: value } : r));
          const { dataset } = ingestSync(name, rows);
          slots++;
          const leaked = cells(dataset).some((c) => flat(c).includes(digits));
          expect(leaked, `${name}.${col} ${shape} ${value}`).toBe(false);
          if (!leaked) masked++;
        }
      }
    }
    // Metrics over datasets whose text and id columns carry all shapes at once.
    const engine = createEngine();
    for (const name of BAD_DATASETS) {
      const cols = textColumns(name);
      const rows = validRows(name, 60, 2).map((r, i) => {
        const s = SHAPES[i % SHAPES.length]!;
        return i < SHAPES.length ? { ...r, ...Object.fromEntries(cols.map((c) => [c, s.value])) } : r;
      });
      await engine.load(name, rows);
    }
    let queries = 0;
    for (const name of BAD_DATASETS) {
      const reqs = [...METRIC_REQUESTS[name]];
      if (name === 'transactions') {
        const seg = (await engine.query({ metric: 'rfm' })).data as Array<{ segment: string }>;
        reqs.push({ metric: 'rfm', params: { members: seg.map((s) => s.segment) } });
      }
      for (const q of reqs) {
        const text = flat(JSON.stringify(await engine.query(q)));
        queries++;
        for (const { shape, digits } of SHAPES)
          expect(text.includes(digits), `${q.metric} ${shape}`).toBe(false);
      }
    }
    engine.dispose();
    console.log(
      `pii shapes: ${SHAPES.length} shapes × ${slots / SHAPES.length} text/id columns = ${masked}/${slots} masked at ingestion; ${queries} metric outputs clean`,
    );
  });
});
