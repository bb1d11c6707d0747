/**
 * Personal numbers found by shape, for masking at ingestion (issue 13 #3, #4).
 *
 * `scanForPII` (mask.ts) reports numbers that pass their checksums: a resident ID with a valid
 * check digit, a Luhn-valid card. That is the right test for telling a host "this column holds
 * personal data", but not for deciding what to show: a bank's reviewer treats a resident ID with a
 * wrong check digit (`11010119900307457X`) or a spaced card number (`6222 0212 3456 7890`) as
 * personal all the same. So masking goes by shape:
 *
 * - mobile numbers: `1[3-9]` + 9 digits, optionally grouped 3-4-4 with spaces or dashes, optionally
 *   after `+86` / `0086`;
 * - resident IDs: any 18 characters `\d{17}[\dXx]` standing alone;
 * - cards: 16–19 digits in a row, or written in groups of four (`6222 0212 3456 7890 123`,
 *   dashes too), or 6 + 10–13 digits;
 * - plus anything `scanForPII` finds (Luhn-valid 13–15 digit cards).
 *
 * Identifier columns (schema `*_id`) that hold such values are masked too, whatever their share of
 * the column: each such value becomes its masked form plus a stable hash of the raw value
 * (`138****8000#0k3j…`), so ids stay distinct, the same raw id masks alike in every dataset and
 * joins keep working.
 */
import { maskerFor, scanForPII } from './mask.js';
import type { MaskRules, PiiMatch } from './mask.js';

const PHONE_SHAPE =
  /(?:(?<=(?:^|[^\d])(?:\+|00)?86[\s-]?)|(?<!\d))(?<!\d\.)1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)/g;
const ID_SHAPE = /(?<![\dA-Za-z])(?<!\d\.)\d{17}[\dXx](?![\dA-Za-z])/g;
const CARD_SHAPE =
  /(?<!\d)(?<!\d\.)(?:\d{16,19}|\d{4}(?:[\s-]\d{4}){3}(?:[\s-]?\d{1,3})?|\d{6}[\s-]\d{10,13})(?!\d)/g;

/** Cheap necessary condition: 11 digits in a row, or a digit followed by 12+ digits/separators. */
const DIGITS = /\d{11}|\d[\d\s-]{12,}/;

/** Whether `s` may hold a personal number (a fast pre-check before `scanShapes`). */
export function mayHoldPii(s: string): boolean {
  return s.length >= 11 && DIGITS.test(s);
}

/**
 * Personal numbers in `text` by shape (see module comment), sorted by position, without overlaps
 * (an ID wins over a card, a card over a mobile number inside it).
 */
export function scanShapes(text: string): PiiMatch[] {
  if (!mayHoldPii(text)) return [];
  const found: PiiMatch[] = [];
  for (const m of text.matchAll(ID_SHAPE)) found.push({ kind: 'id_number', match: m[0], index: m.index });
  for (const m of text.matchAll(CARD_SHAPE)) found.push({ kind: 'card', match: m[0], index: m.index });
  for (const f of scanForPII(text)) found.push(f);
  for (const m of text.matchAll(PHONE_SHAPE)) found.push({ kind: 'phone', match: m[0], index: m.index });
  const rank = { id_number: 0, card: 1, phone: 2 } as const;
  found.sort((a, b) => a.index - b.index || rank[a.kind] - rank[b.kind] || b.match.length - a.match.length);
  const out: PiiMatch[] = [];
  let end = -1;
  for (const f of found) {
    if (f.index < end) continue;
    out.push(f);
    end = f.index + f.match.length;
  }
  return out;
}

/** Mask every personal number `scanShapes` finds in `text` (idempotent: masks carry `*`). */
export function maskShapes(text: string, rules?: MaskRules): string {
  const found = scanShapes(text);
  if (found.length === 0) return text;
  let out = '';
  let pos = 0;
  for (const f of found) {
    const fn = maskerFor(f.kind, rules);
    out += text.slice(pos, f.index) + (fn ? fn(f.match) : f.match);
    pos = f.index + f.match.length;
  }
  return out + text.slice(pos);
}

/**
 * An identifier for display: unchanged unless it holds a personal number; then its masked form
 * plus `#` and a stable 14-character hash of the raw value (distinct ids stay distinct; the same
 * raw id gives the same token in every dataset, so joins and filters keep working).
 */
export function maskIdentifier(s: string, rules?: MaskRules): string {
  const masked = maskShapes(s, rules);
  return masked === s ? s : `${masked}#${shortHash(s)}`;
}

/**
 * Two 32-bit FNV-1a hashes (forward and backward, different offsets) in base 36: a stable,
 * practically collision-free suffix that keeps masked identifiers unique at millions of ids.
 */
export function shortHash(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x2f0a3c1d;
  for (let i = 0, j = s.length - 1; i < s.length; i++, j--) {
    h1 = Math.imul(h1 ^ s.charCodeAt(i), 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ s.charCodeAt(j), 0x01000193) >>> 0;
  }
  return h1.toString(36).padStart(7, '0') + h2.toString(36).padStart(7, '0');
}
