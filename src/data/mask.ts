/**
 * PII masking at the ingestion boundary.
 *
 * Every rule keeps a fixed set of character positions (a prefix and a suffix whose lengths depend
 * only on the value's length and on characters the rule itself keeps) and replaces the rest with
 * `*`. Masking therefore preserves those decisions and is idempotent: `mask(mask(s)) === mask(s)`.
 * Rules run on a column's dictionary (once per distinct value), never per row.
 */
import { Interner } from './intern.js';
import type { CatColumn } from './dataset.js';

/** Kinds of personally identifiable values the canonical schemas declare. */
export type PiiKind = 'phone' | 'id_number' | 'card' | 'account' | 'name';

/** A per-kind override: a custom masking function, or `'none'` to leave the kind in clear. */
export type MaskRule = ((s: string) => string) | 'none';
export type MaskRules = Partial<Record<PiiKind, MaskRule>>;

/** Kinds `scanForPII` detects in free text. */
export type ScannedPiiKind = 'phone' | 'id_number' | 'card';

export interface PiiMatch {
  kind: ScannedPiiKind;
  /** The matched text as it appears (separators included). */
  match: string;
  /** Offset of the match in the scanned text. */
  index: number;
}

const STAR = '*';

function stars(n: number): string {
  return n > 0 ? STAR.repeat(n) : '';
}

/** Keep `head` leading and `tail` trailing characters of `s`, star the rest. */
function keepEnds(s: string, head: number, tail: number): string {
  const L = s.length;
  if (head + tail >= L) return s;
  return s.slice(0, head) + stars(L - head - tail) + s.slice(L - tail);
}

/** Star all but the last 4; values of 4 characters or fewer are starred completely. */
function tail4(s: string): string {
  return s.length > 4 ? stars(s.length - 4) + s.slice(-4) : stars(s.length);
}

const PHONE_SEP = /[\s\-().]/g;
const PHONE_PREFIX = /^(\+86|0086|86)([\s-]?)/;

/**
 * Mobile / phone numbers: 13812341234 → 138****1234. A `+86` / `0086` / `86` country prefix is
 * kept as written; separators in the number are dropped. Shorter numbers keep only the last 4.
 */
function maskPhone(s: string): string {
  const t = s.trim();
  let prefix = '';
  let body = t;
  const pm = PHONE_PREFIX.exec(t);
  if (pm) {
    const rest = t.slice(pm[0].length).replace(PHONE_SEP, '');
    // Only a prefix when what follows is a full 11-slot mobile number.
    if (rest.length === 11 && /^[\d*]+$/.test(rest)) {
      prefix = pm[1]! + (pm[2] ? ' ' : '');
      body = rest;
    }
  }
  if (!prefix) body = t.replace(PHONE_SEP, '');
  const L = body.length;
  const masked = L >= 11 ? keepEnds(body, 3, 4) : tail4(body);
  return prefix + masked;
}

/** Resident ID: 18 chars → first 3 + 11 stars + last 4; 15-char old IDs → first 3 + 8 + last 4. */
function maskIdNumber(s: string): string {
  const t = s.replace(/\s+/g, '');
  return t.length >= 10 ? keepEnds(t, 3, 4) : tail4(t);
}

/** Bank card (13–19 digits, spaces/dashes allowed): first 6 + stars + last 4, separators dropped. */
function maskCard(s: string): string {
  const t = s.replace(/[\s-]+/g, '');
  return t.length >= 13 ? keepEnds(t, 6, 4) : tail4(t);
}

/** Account number: stars + last 4, separators dropped. */
function maskAccount(s: string): string {
  return tail4(s.replace(/[\s-]+/g, ''));
}

/** Two-character Chinese surnames (simplified and traditional forms). */
export const COMPOUND_SURNAMES: ReadonlySet<string> = new Set([
  '欧阳',
  '司马',
  '诸葛',
  '上官',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '令狐',
  '司徒',
  '夏侯',
  '轩辕',
  '长孙',
  '宇文',
  '司空',
  '端木',
  '独孤',
  '南宫',
  '西门',
  '万俟',
  '闻人',
  '澹台',
  '公冶',
  '宗政',
  '濮阳',
  '淳于',
  '单于',
  '太叔',
  '申屠',
  '钟离',
  '闾丘',
  '东郭',
  '呼延',
  '百里',
  '拓跋',
  '赫连',
  '第五',
  '左丘',
  '梁丘',
  '微生',
  '羊舌',
  '谷梁',
  '乐正',
  '漆雕',
  '壤驷',
  '公良',
  '巫马',
  '公西',
  '颛孙',
  '亓官',
  '司寇',
  '子车',
  '段干',
  '鲜于',
  '东门',
  '公羊',
  '夹谷',
  '宰父',
  '仲孙',
  '叔孙',
  '公户',
  '公玉',
  '公仪',
  '梁丘',
  '东宫',
  '即墨',
  '归海',
  '羊角',
  '呼衍',
  '褚师',
  '胡母',
  '歐陽',
  '司馬',
  '諸葛',
  '東方',
  '尉遲',
  '公孫',
  '軒轅',
  '長孫',
  '獨孤',
  '南宮',
  '西門',
  '聞人',
  '澹臺',
  '鍾離',
  '閭丘',
  '東郭',
  '百裏',
  '赫連',
  '顓孫',
  '鮮於',
  '東門',
  '夾谷',
  '單于',
  '漆雕',
]);

const CJK = /[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]/u;
const NAME_DOT = /^[·•.．・]$/;
const ALL_STARS = /^\*+$/;

/**
 * Names. Chinese: 2 characters → 张*; 3 or more → surname + stars (张**), a compound surname keeps
 * both characters (欧阳娜娜 → 欧阳**); middle dots of transliterated names are kept. Latin: first
 * letter + `***`.
 */
function maskName(s: string): string {
  const t = s.trim();
  if (t === '' || ALL_STARS.test(t)) return t;
  const chars = Array.from(t);
  if (CJK.test(t)) {
    if (chars.length === 1) return STAR;
    let keep = 1;
    if (chars.length >= 3 && COMPOUND_SURNAMES.has(chars[0]! + chars[1]!)) keep = 2;
    let out = '';
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      out += i < keep || NAME_DOT.test(c) ? c : STAR;
    }
    return out;
  }
  // Already a kept first character followed only by stars (and name dots): leave it, so that
  // masking stays idempotent whichever rule produced it.
  let masked = chars.length > 1;
  for (let i = 1; i < chars.length && masked; i++) masked = chars[i] === STAR || NAME_DOT.test(chars[i]!);
  if (masked) return t;
  return chars[0]! + '***';
}

const RULES: Record<PiiKind, (s: string) => string> = {
  phone: maskPhone,
  id_number: maskIdNumber,
  card: maskCard,
  account: maskAccount,
  name: maskName,
};

/** Mask one value of the given PII kind with the default rule (idempotent). */
export function maskValue(kind: PiiKind, s: string): string {
  return RULES[kind](s);
}

/** The masking function for a kind, honouring overrides; null when the kind is left in clear. */
export function maskerFor(kind: PiiKind, rules?: MaskRules): ((s: string) => string) | null {
  const r = rules && Object.hasOwn(rules, kind) ? rules[kind] : undefined;
  if (r === 'none') return null;
  if (typeof r === 'function') return r;
  return RULES[kind];
}

// ---------------------------------------------------------------------------------------------
// Detection in free text

/** ISO 7064 MOD 11-2 check of an 18-character resident ID. */
export function isValidResidentId(s: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(s)) return false;
  const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (s.charCodeAt(i) - 48) * W[i]!;
  const check = '10X98765432'[sum % 11]!;
  return s[17]!.toUpperCase() === check;
}

/** Luhn checksum of a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return digits.length > 0 && sum % 10 === 0;
}

// Mainland mobile number, optionally written 138 1234 1234 / 138-1234-1234, optionally after +86.
// Digits right after a decimal point ('0.13812345678') are a fraction, not a number of their own.
const PHONE_SCAN = /(?:(?<=(?:^|[^\d])(?:\+|00)?86[\s-]?)|(?<!\d))(?<!\d\.)1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)/g;
const ID_SCAN = /(?<![\dA-Za-z])(?<!\d\.)\d{17}[\dXx](?![\dA-Za-z])/g;
const CARD_SCAN = /(?<!\d)(?<!\d\.)(?:\d{13,19}|\d{4}(?:[\s-]\d{4}){2,3}(?:[\s-]\d{1,3})?)(?!\d)/g;

/** The characters of the regular-expression class `\s`. */
function isSpace(c: number): boolean {
  return (
    (c >= 9 && c <= 13) ||
    c === 32 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Find unmasked PII in text: mainland mobile numbers (1[3-9]\d{9}), 18-character resident IDs
 * with a valid check digit, and 13–19 digit Luhn-valid card numbers. Sorted by position; a
 * number that is a valid resident ID is not reported again as a card.
 */
export function scanForPII(text: string): PiiMatch[] {
  const out: PiiMatch[] = [];
  // Necessary conditions of the three patterns, from one pass over the characters, so that
  // ordinary ids ('LN202405000001') skip the regular expressions: a resident ID needs 17 digits in
  // a row; a card 13 in a row, or a separator; a mobile number a '1' followed by 3–9 and 11 digits
  // in a row, or a separator.
  let run = 0;
  let maxRun = 0;
  let sep = false;
  let mobileStart = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++run > maxRun) maxRun = run;
      if (c === 49 && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 51 && d <= 57) mobileStart = true;
      }
    } else {
      run = 0;
      if (c === 45 || isSpace(c)) sep = true;
    }
  }
  if (maxRun < 13 && !sep) {
    if (maxRun < 11 || !mobileStart) return out;
    for (const m of text.matchAll(PHONE_SCAN)) out.push({ kind: 'phone', match: m[0], index: m.index });
    return out;
  }
  const idSpans: Array<[number, number]> = [];
  for (const m of text.matchAll(ID_SCAN)) {
    if (isValidResidentId(m[0])) {
      out.push({ kind: 'id_number', match: m[0], index: m.index });
      idSpans.push([m.index, m.index + m[0].length]);
    }
  }
  for (const m of text.matchAll(CARD_SCAN)) {
    const digits = m[0].replace(/[\s-]/g, '');
    if (digits.length < 13 || digits.length > 19 || !luhnValid(digits)) continue;
    const a = m.index;
    const b = a + m[0].length;
    if (idSpans.some(([x, y]) => a < y && x < b)) continue;
    out.push({ kind: 'card', match: m[0], index: a });
  }
  for (const m of text.matchAll(PHONE_SCAN)) {
    out.push({ kind: 'phone', match: m[0], index: m.index });
  }
  out.sort((a, b) => a.index - b.index);
  return out;
}

/** Mask every PII occurrence `scanForPII` finds inside free text (idempotent). */
export function maskText(text: string, rules?: MaskRules): string {
  const found = scanForPII(text);
  if (found.length === 0) return text;
  let out = '';
  let pos = 0;
  for (const f of found) {
    if (f.index < pos) continue; // overlapping hit (already replaced)
    const fn = maskerFor(f.kind, rules);
    out += text.slice(pos, f.index) + (fn ? fn(f.match) : f.match);
    pos = f.index + f.match.length;
  }
  return out + text.slice(pos);
}

// ---------------------------------------------------------------------------------------------
// Columns

/**
 * Apply `fn` to a dictionary-encoded column: each distinct value is masked once; values that
 * collide after masking share one code, and unused entries disappear, so the result is a proper
 * dictionary again. Returns the input when nothing changes.
 */
export function mapDictionary(col: CatColumn, fn: (s: string) => string): CatColumn {
  const { dict, codes } = col;
  const remap = new Int32Array(dict.length);
  const index = new Interner(dict.length);
  const newDict = index.dict;
  let changed = false;
  for (let c = 0; c < dict.length; c++) {
    const v = fn(dict[c]!);
    if (v !== dict[c]) changed = true;
    const before = newDict.length;
    const k = index.intern(v);
    if (k < before) changed = true; // collided with an earlier value
    remap[c] = k;
  }
  if (!changed) return col;
  const out = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    out[i] = c < 0 ? -1 : remap[c]!;
  }
  return { kind: 'cat', codes: out, dict: newDict };
}

const NAME_HINTS: Array<[RegExp, PiiKind]> = [
  [/(^|[_\s-])(id_?card|id_?no|id_?number|idcard|identity|ssn|cert_?no)$|身份证/i, 'id_number'],
  [/(^|[_\s-])(card_?no|card_?num|card_?number|bank_?card|card)$|卡号/i, 'card'],
  [/(^|[_\s-])(phone|mobile|tel|telephone|cellphone|cell)(_?no|_?num|_?number)?$|手机|电话/i, 'phone'],
  [/(^|[_\s-])(account_?no|account_?number|acct_?no|acct|account|iban)$|账号|帐号|账户/i, 'account'],
  [
    /^(name|full_?name|cust_?name|customer_?name|client_?name|borrower_?name|real_?name|contact_?name)$|姓名|客户名/i,
    'name',
  ],
];

/** Guess the PII kind of a non-canonical column from its name (`mobile`, `身份证号`, `cust_name`…). */
export function guessPiiKind(column: string): PiiKind | undefined {
  for (const [re, kind] of NAME_HINTS) if (re.test(column)) return kind;
  return undefined;
}
