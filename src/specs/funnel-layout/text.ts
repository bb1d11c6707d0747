/**
 * Funnel text: widths estimated from character classes (a CJK ideograph is 1em, Latin ≈ 0.55em),
 * truncation, wrapping, and short localised durations.
 */
/** Estimated advance of one character in em. */
function charEm(ch: string): number {
  const c = ch.codePointAt(0) ?? 0;
  if (c >= 0x2e80 && c <= 0xa4cf) return 1; // CJK radicals … Yi, incl. ideographs and kana
  if (c >= 0xac00 && c <= 0xd7af) return 1; // Hangul
  if (c >= 0xf900 && c <= 0xfaff) return 1;
  if (c >= 0xfe30 && c <= 0xfe4f) return 1;
  if (c >= 0xff00 && c <= 0xffef) return 1; // full-width forms
  if (c >= 0x20000) return 1;
  if (ch === ' ') return 0.32;
  if ("il.,:;'|!".includes(ch)) return 0.34;
  if ('fjrt()[]'.includes(ch)) return 0.42;
  if ('mwMW%@'.includes(ch)) return 0.95;
  if (c >= 0x41 && c <= 0x5a) return 0.72; // A–Z
  if (c === 0x2212 || c === 0x2014) return 0.84; // − —
  if (c === 0x2026) return 1; // …
  // Digits and most Latin letters: 0.64em covers the widest common UI faces (DejaVu Sans 0.636).
  return 0.64;
}

/** Estimated rendered width in px of `s` at `size` px in a sans-serif face (errs wide). */
export function textWidth(s: string, size: number): number {
  let em = 0;
  for (const ch of s) em += charEm(ch);
  return em * size;
}

/** `s` cut to fit `width` px, with an ellipsis when cut; '' when not even "…" fits. */
export function truncate(s: string, width: number, size: number): string {
  if (textWidth(s, size) <= width) return s;
  const chars = [...s];
  let out = '';
  let w = textWidth('…', size);
  if (w > width) return '';
  for (const ch of chars) {
    const cw = textWidth(ch, size);
    if (w + cw > width) break;
    out += ch;
    w += cw;
  }
  return out.trimEnd() + '…';
}

const isCjk = (ch: string): boolean => charEm(ch) === 1 && ch !== '…';

/**
 * Wrap `s` into at most `maxLines` lines of `width` px. Latin text breaks at spaces (a word longer
 * than the line is cut); CJK text may break between any two ideographs. The last line gets an
 * ellipsis when text is left over; `truncated` says so (show the full text in the tooltip).
 */
export function wrapText(
  s: string,
  width: number,
  size: number,
  maxLines: number,
): { lines: string[]; truncated: boolean } {
  const text = s.replace(/\s+/g, ' ').trim();
  if (!text) return { lines: [''], truncated: false };
  if (maxLines <= 1 || textWidth(text, size) <= width) {
    const one = truncate(text, width, size);
    return { lines: [one], truncated: one !== text };
  }
  // Tokens: runs of non-CJK non-space characters, single CJK characters, and spaces.
  const tokens: string[] = [];
  let buf = '';
  for (const ch of text) {
    if (ch === ' ' || isCjk(ch)) {
      if (buf) tokens.push(buf);
      buf = '';
      tokens.push(ch);
    } else buf += ch;
  }
  if (buf) tokens.push(buf);
  const lines: string[] = [];
  let line = '';
  let i = 0;
  while (i < tokens.length && lines.length < maxLines - 1) {
    const tok = tokens[i]!;
    const next = line + tok;
    if (textWidth(next.trimEnd(), size) <= width) {
      line = next;
      i++;
      continue;
    }
    if (!line.trim()) {
      // A single token wider than the line: cut it.
      const cut = truncate(tok, width, size).replace(/…$/, '');
      const head = cut.length ? cut : [...tok][0]!;
      lines.push(head);
      tokens[i] = tok.slice(head.length);
      line = '';
      continue;
    }
    // Kinsoku: an opening bracket never ends a line; it moves down with what it opens.
    let carry = '';
    const m = /[（(「『《【〈“‘]+$/.exec(line.trimEnd());
    if (m && m.index > 0) {
      carry = m[0];
      line = line.trimEnd().slice(0, m.index);
    }
    lines.push(line.trim());
    line = carry;
    if (tok === ' ') i++;
  }
  const rest = (line + tokens.slice(i).join('')).trim();
  if (rest) {
    const last = truncate(rest, width, size);
    lines.push(last);
    return { lines, truncated: last !== rest };
  }
  return { lines: lines.length ? lines : [''], truncated: false };
}

/**
 * A duration in ms as a short, localised text: `45秒`, `12分钟`, `3.5小时`, `2.1天` /
 * `45 s`, `12 min`, `3.5 h`, `2.1 d`. Null, NaN and negative values give an em dash.
 */
export function formatDuration(ms: number | null | undefined, locale: 'zh-CN' | 'en-US'): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const zh = locale === 'zh-CN';
  const fmt = (v: number): string => {
    const d = v >= 10 ? 0 : 1;
    return new Intl.NumberFormat(locale, { maximumFractionDigits: d }).format(v);
  };
  const s = ms / 1000;
  if (s < 60) return zh ? `${fmt(s)}秒` : `${fmt(s)} s`;
  const m = s / 60;
  if (m < 60) return zh ? `${fmt(m)}分钟` : `${fmt(m)} min`;
  const h = m / 60;
  if (h < 48) return zh ? `${fmt(h)}小时` : `${fmt(h)} h`;
  const d = h / 24;
  return zh ? `${fmt(d)}天` : `${fmt(d)} d`;
}
