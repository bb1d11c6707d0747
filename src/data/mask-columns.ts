/**
 * Masking at ingestion: which columns of a converted dataset hold PII (schema kinds, column names,
 * numeric mobile numbers, shapes found in free text and identifiers) and their masked dictionaries.
 */
import { toCat } from './convert.js';
import type { CatColumn, Column } from './dataset.js';
import type { IngestOptions } from './ingest-types.js';
import type { PiiKind } from './mask.js';
import { guessPiiKind, mapDictionary, maskerFor } from './mask.js';
import { mayHoldPii, maskIdentifier, maskShapes, scanShapes } from './pii-shapes.js';
import type { PlanEntry } from './plan.js';
import type { QualityWarning } from './quality.js';
import { qualityWarning } from './quality.js';

/** Whether (≥ 90 % of sampled) values of a numeric column are mainland mobile numbers. */
function looksLikePhones(data: Float64Array): boolean {
  let seen = 0;
  let phones = 0;
  const step = Math.max(1, Math.floor(data.length / 2000)); // a sample is enough
  for (let i = 0; i < data.length; i += step) {
    const v = data[i]!;
    if (v !== v) continue;
    seen++;
    if (v >= 13000000000 && v < 20000000000 && Number.isInteger(v)) phones++;
  }
  return seen > 0 && phones * 10 >= seen * 9;
}

export function applyMasking(
  cols: Map<string, Column>,
  plan: PlanEntry[],
  opts: IngestOptions,
  warnings: QualityWarning[],
): { masked: boolean; maskedColumns: string[] } {
  const piiCols: Array<[PlanEntry, PiiKind]> = [];
  for (const e of plan) {
    const col = cols.get(e.out);
    if (!col || col.kind !== 'cat') continue;
    const kind = e.spec ? e.spec.pii : (guessPiiKind(e.out) ?? guessPiiKind(e.host));
    if (kind) piiCols.push([e, kind]);
  }
  if (opts.unmask === true) {
    if (piiCols.length) warnings.push(qualityWarning('unmasked', { columns: piiCols.map(([e]) => e.out) }));
    return { masked: false, maskedColumns: [] };
  }
  if (opts.mask === false) warnings.push(qualityWarning('mask_off_ignored'));
  const maskedColumns: string[] = [];
  const noneKinds = new Set<PiiKind>();
  const piiOut = new Set(piiCols.map(([e]) => e.out));
  for (const [e, kind] of piiCols) {
    const fn = maskerFor(kind, opts.maskRules);
    if (!fn) {
      noneKinds.add(kind);
      continue;
    }
    cols.set(e.out, mapDictionary(cols.get(e.out) as CatColumn, fn));
    maskedColumns.push(e.out);
  }
  if (noneKinds.size) warnings.push(qualityWarning('mask_rule_none', { kinds: [...noneKinds] }));
  // Mobile numbers that arrived as numbers in a column outside the schema: make them strings.
  for (const e of plan) {
    const col = cols.get(e.out);
    if (e.spec || !col || col.kind !== 'num' || !looksLikePhones(col.data)) continue;
    const strings = Array.from(col.data, (v) => (v === v ? String(v) : null));
    const fn = maskerFor('phone', opts.maskRules);
    const c = toCat(strings, strings.length, false).col as CatColumn;
    cols.set(e.out, fn ? mapDictionary(c, fn) : c);
    if (fn) maskedColumns.push(e.out);
    warnings.push(qualityWarning('pii_in_column', { column: e.out, kinds: ['phone'] }));
  }
  // Free text and unannounced PII in any text column (schema categories such as a transaction
  // description included; they reach labels, tooltips and exports): scan the dictionary.
  for (const e of plan) {
    const col = cols.get(e.out);
    if (!col || col.kind !== 'cat' || piiOut.has(e.out)) continue;
    if (e.spec && /_id$/.test(e.out)) {
      // Schema identifiers are join keys. Every value holding a personal number (a customer_id
      // that is a mobile, resident-ID or card number), whatever its share of the column, shows
      // as its mask plus a stable hash of the raw value: ids stay unique and join alike in every
      // dataset (pii-shapes.ts, issue 13 #3).
      const kinds = new Set<string>();
      for (const s of col.dict) if (mayHoldPii(s)) for (const f of scanShapes(s)) kinds.add(f.kind);
      if (!kinds.size) continue;
      cols.set(
        e.out,
        mapDictionary(col, (s) => (mayHoldPii(s) ? maskIdentifier(s, opts.maskRules) : s)),
      );
      maskedColumns.push(e.out);
      warnings.push(qualityWarning('pii_in_identifier', { column: e.out, kinds: [...kinds] }));
      continue;
    }
    // Free text: personal numbers by shape, not by checksum (issue 13 #4).
    const kinds = new Set<string>();
    for (const s of col.dict) if (mayHoldPii(s)) for (const f of scanShapes(s)) kinds.add(f.kind);
    if (!kinds.size) continue;
    cols.set(
      e.out,
      mapDictionary(col, (s) => (mayHoldPii(s) ? maskShapes(s, opts.maskRules) : s)),
    );
    maskedColumns.push(e.out);
    warnings.push(qualityWarning('pii_in_column', { column: e.out, kinds: [...kinds] }));
  }
  return { masked: true, maskedColumns };
}
