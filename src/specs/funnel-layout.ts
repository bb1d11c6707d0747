/**
 * Funnel geometry, as a pure function: stages and a size in, bar rectangles, drop-off connector
 * polygons and placed (wrapped, truncated) text lines out. No DOM and no Lit, so it runs and is
 * tested in node; `<fin-funnel>` only turns the result into SVG.
 *
 * Pipeline: normalise the metric rows (`normalizeFunnel`) → format the label texts (the element,
 * per locale) → place them (`funnelLayout`) → draw.
 *
 * Text widths are estimated from character classes (a CJK ideograph is 1em, Latin ≈ 0.55em) rather
 * than measured, so the layout is deterministic and identical in node and every browser; the
 * estimate errs wide, so a label that is said to fit does fit.
 */

export type FunnelOrientation = 'horizontal' | 'vertical';

/** One stage of one series (the whole funnel, or one breakdown group), normalised. */
export interface FunnelStageDatum {
  stage: string;
  /** Entities at the stage; null when the result has no count for it. */
  count: number | null;
  /** `n_k / n_{k−1}`; null on the first stage or when undefined. */
  stepConversion: number | null;
  /** `n_k / n_1`. */
  overallConversion: number | null;
  /** `n_{k−1} − n_k`; null on the first stage. */
  dropOff: number | null;
  /** Median time from the previous stage, in milliseconds; null when absent. */
  medianMs: number | null;
}

/** A breakdown group (e.g. one channel) with its stages in funnel order. */
export interface FunnelGroup {
  key: string;
  stages: FunnelStageDatum[];
}

/** A funnel result reshaped for drawing. */
export interface FunnelModel {
  /** Stage names in funnel order. */
  stages: string[];
  /** The whole funnel (over all groups). */
  total: FunnelStageDatum[];
  /** Breakdown groups, in order of their first-stage count (largest first); empty without breakdown. */
  groups: FunnelGroup[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The first present (non-undefined) of several keys, for row shapes that name a field differently. */
function field(row: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const k of keys) if (row[k] !== undefined) return row[k];
  return undefined;
}

const MS: Record<string, number> = {
  ms: 1,
  s: 1e3,
  seconds: 1e3,
  min: 6e4,
  minutes: 6e4,
  h: 3.6e6,
  hours: 3.6e6,
  d: 8.64e7,
  days: 8.64e7,
};

/** Median time of a row in ms, whatever unit the metric reported it in. */
function medianOf(row: Record<string, unknown>, unit: string | undefined): number | null {
  const ms = num(field(row, ['medianTimeMs', 'medianMs', 'median_time_ms']));
  if (ms !== null) return ms;
  const s = num(field(row, ['medianSeconds', 'medianTimeSeconds']));
  if (s !== null) return s * 1e3;
  const h = num(field(row, ['medianHours', 'medianTimeHours']));
  if (h !== null) return h * 3.6e6;
  const d = num(field(row, ['medianDays', 'medianTimeDays']));
  if (d !== null) return d * 8.64e7;
  const plain = num(field(row, ['medianTime', 'median_time', 'medianTimeFromPrev', 'median']));
  if (plain === null) return null;
  return plain * (MS[unit ?? 'ms'] ?? 1);
}

function conv(n: number | null, d: number | null): number | null {
  return n === null || d === null || d === 0 ? null : n / d;
}

/** Derive step/overall conversion and drop-off from counts where the rows do not carry them. */
function complete(stages: FunnelStageDatum[]): FunnelStageDatum[] {
  const first = stages[0]?.count ?? null;
  return stages.map((s, i) => {
    const prev = i > 0 ? (stages[i - 1]!.count ?? null) : null;
    return {
      ...s,
      stepConversion: i === 0 ? null : (s.stepConversion ?? conv(s.count, prev)),
      overallConversion: s.overallConversion ?? conv(s.count, first),
      dropOff: i === 0 ? null : (s.dropOff ?? (prev !== null && s.count !== null ? prev - s.count : null)),
    };
  });
}

export interface NormalizeOptions {
  /** Breakdown field name; rows carrying it are group rows (as are rows with a `group` key). */
  breakdown?: string;
  /** Stage order to use when the result does not give one (`meta.stages`, row `step` indexes). */
  stages?: readonly string[];
  /** Total rows when the data rows are all group rows (the metric's `meta.overall`). */
  overall?: ReadonlyArray<Record<string, unknown>> | null;
  /** Unit of a bare `medianTime` field: ms, s, min, h, d. Default ms. */
  timeUnit?: string;
}

/** Key of the breakdown group of rows whose breakdown value is missing (null). */
export const MISSING_GROUP = '\u0000missing';

/**
 * Reshape funnel rows (`{ group?, stage, step, count, stepConversion, overallConversion, dropOff,
 * medianHours }`, see src/engine/metrics/funnel.ts) into stages in order, a total series and
 * groups. Group rows carry a `group` key (or the breakdown field); a null group value is the
 * "missing" group (`MISSING_GROUP`). The total comes from rows without a group, else from
 * `overall`, else it is the sum of the groups (conversions recomputed from the summed counts).
 * Throws on rows without a stage name.
 */
export function normalizeFunnel(
  rows: ReadonlyArray<Record<string, unknown>>,
  opts: NormalizeOptions = {},
): FunnelModel {
  const bd = opts.breakdown || '';
  const groupKeyOf = (row: Record<string, unknown>): string | null => {
    const has = Object.prototype.hasOwnProperty;
    const k = has.call(row, 'group') ? 'group' : bd && has.call(row, bd) ? bd : '';
    if (!k) return null;
    const v = row[k];
    return v === null || v === undefined || v === '' ? MISSING_GROUP : String(v);
  };
  const all = [...rows, ...(opts.overall ?? [])];
  // Stage order: the option, else by `step`/`index`, else first appearance.
  const seen = new Map<string, number>();
  for (const row of all) {
    const name = row['stage'];
    if (typeof name !== 'string' && typeof name !== 'number') throw new Error('A funnel row has no "stage"');
    const step = num(field(row, ['step', 'index', 'stageIndex', 'order']));
    const key = String(name);
    if (!seen.has(key)) seen.set(key, step ?? seen.size);
  }
  const byStep = (a: string, b: string): number => seen.get(a)! - seen.get(b)!;
  let stages: string[];
  if (opts.stages && opts.stages.length) {
    stages = [...new Set(opts.stages.map(String))];
    for (const s of [...seen.keys()].sort(byStep)) if (!stages.includes(s)) stages.push(s);
  } else {
    stages = [...seen.keys()].sort(byStep);
  }
  const datum = (row: Record<string, unknown> | undefined, stage: string): FunnelStageDatum => ({
    stage,
    count: row ? num(field(row, ['count', 'n', 'users', 'value'])) : null,
    stepConversion: row ? num(field(row, ['stepConversion', 'step_conversion', 'conversion'])) : null,
    overallConversion: row ? num(field(row, ['overallConversion', 'overall_conversion'])) : null,
    dropOff: row ? num(field(row, ['dropOff', 'drop_off', 'dropoff'])) : null,
    medianMs: row ? medianOf(row, opts.timeUnit) : null,
  });

  const totalRows = new Map<string, Record<string, unknown>>();
  const groupRows = new Map<string, Map<string, Record<string, unknown>>>();
  for (const row of rows) {
    const g = groupKeyOf(row);
    const stage = String(row['stage']);
    if (g === null) totalRows.set(stage, row);
    else {
      let m = groupRows.get(g);
      if (!m) groupRows.set(g, (m = new Map()));
      m.set(stage, row);
    }
  }
  if (!totalRows.size) for (const row of opts.overall ?? []) totalRows.set(String(row['stage']), row);
  const groups: FunnelGroup[] = [...groupRows.entries()].map(([key, m]) => ({
    key,
    stages: complete(stages.map((s) => datum(m.get(s), s))),
  }));
  // Largest first (the metric's order too); the missing group last.
  groups.sort(
    (a, b) =>
      (a.key === MISSING_GROUP ? 1 : 0) - (b.key === MISSING_GROUP ? 1 : 0) ||
      (b.stages[0]?.count ?? 0) - (a.stages[0]?.count ?? 0) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );

  let total: FunnelStageDatum[];
  if (totalRows.size || !groups.length) {
    total = complete(stages.map((s) => datum(totalRows.get(s), s)));
  } else {
    total = complete(
      stages.map((s, i) => {
        let sum: number | null = null;
        for (const g of groups) {
          const c = g.stages[i]!.count;
          if (c !== null) sum = (sum ?? 0) + c;
        }
        return {
          stage: s,
          count: sum,
          stepConversion: null,
          overallConversion: null,
          dropOff: null,
          medianMs: null,
        };
      }),
    );
  }
  return { stages, total, groups };
}

// --- text -------------------------------------------------------------------------------------

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

// --- geometry ---------------------------------------------------------------------------------

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A placed line of text. `role` lets the renderer style it (name, count, detail, connector, sub). */
export interface TextLine {
  text: string;
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
  size: number;
  role: 'name' | 'count' | 'detail' | 'connector' | 'sub';
}

/** Label texts of a stage, already formatted for the locale by the caller. */
export interface LayoutStageInput {
  name: string;
  count: number | null;
  /** Formatted count, e.g. `1.23万`. */
  countText: string;
  /** Detail lines, most important first, e.g. `['转化 45.20%', '总体 12.10%']`. */
  details: string[];
  /** Texts for the connector from the previous stage (drop-off, median time); ignored on stage 0. */
  connector: string[];
  /**
   * Grouped breakdown: one sub-bar per group, in legend order. Sub-bars are sized by `share`
   * (e.g. the group's overall conversion, 0..1) when any group has one, else by `count`, on one
   * scale shared by all stages. `labels` are alternatives, longest first: the first that fits
   * over the sub-bar is drawn.
   */
  groups?: Array<{ key: string; count: number | null; share?: number | null; labels?: string[] }>;
}

export interface LayoutOptions {
  width: number;
  /** Total height; horizontal default 300; vertical default fits the rows. */
  height?: number;
  orientation?: FunnelOrientation;
  /** Base font size in px (names); counts are +3, details and connector texts −1. */
  fontSize?: number;
  /** Narrowest stage column of a horizontal funnel before it falls back to vertical. */
  minColumn?: number;
}

export interface StageLayout {
  index: number;
  name: string;
  /** The stage bar (height or width proportional to the count; 0 for 0 / missing counts). */
  bar: Rect;
  /** The whole stage slot (hit and focus area: bar plus its labels). */
  slot: Rect;
  nameLines: TextLine[];
  /** Whether the name was wrapped short of its full text (the full name belongs in the tooltip). */
  nameTruncated: boolean;
  count: TextLine;
  details: TextLine[];
  /** Grouped breakdown sub-bars. */
  subBars: Array<{ key: string; rect: Rect; label: TextLine | null }>;
}

export interface ConnectorLayout {
  /** Index of the stage the connector leads into. */
  to: number;
  /** Trapezoid from the previous bar to this one; empty when not drawn (grouped, or a missing count). */
  points: Array<[number, number]>;
  labels: TextLine[];
}

export interface FunnelLayout {
  /** Effective orientation (a horizontal funnel too narrow for its stages is laid out vertically). */
  orientation: FunnelOrientation;
  width: number;
  height: number;
  stages: StageLayout[];
  connectors: ConnectorLayout[];
}

const round = (x: number): number => Math.round(x * 100) / 100;
const finitePos = (x: number | null | undefined): number =>
  typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : 0;

/** Proportional size of a count on a scale whose maximum is `max` → `range`; ≥ 2px when positive. */
function sized(count: number | null, max: number, range: number): number {
  const c = finitePos(count);
  if (c === 0 || max <= 0 || range <= 0) return 0;
  return Math.max(2, (c / max) * range);
}

/**
 * Lay out a funnel. Every coordinate is finite (no NaN for zero counts, missing counts, zero
 * width or no stages). Horizontal: stage columns left → right, bars as tall as their count,
 * centred on a common axis, labels above, drop-off texts below the connectors. Vertical: stage
 * rows top → bottom, bars as wide as their count, names on the left, numbers on the right,
 * drop-off texts in the gaps.
 */
export function funnelLayout(input: readonly LayoutStageInput[], opts: LayoutOptions): FunnelLayout {
  const width = Math.max(0, Number.isFinite(opts.width) ? opts.width : 0);
  const fs = opts.fontSize ?? 12;
  const n = input.length;
  let orientation: FunnelOrientation = opts.orientation ?? 'horizontal';
  if (orientation === 'horizontal' && n > 0 && width / n < (opts.minColumn ?? 84)) orientation = 'vertical';
  if (n === 0 || width === 0) {
    return {
      orientation,
      width: round(width),
      height: round(Math.max(0, opts.height ?? 0)),
      stages: [],
      connectors: [],
    };
  }
  return orientation === 'horizontal'
    ? horizontal(input, width, fs, opts.height)
    : vertical(input, width, fs, opts.height);
}

function subLabelSize(fs: number): number {
  return Math.max(9, fs - 2);
}

type GroupIn = NonNullable<LayoutStageInput['groups']>[number];

/** Sizing value of a group sub-bar: its share when the input uses shares, else its count. */
function groupSizer(input: readonly LayoutStageInput[]): {
  value: (g: GroupIn) => number | null;
  max: number;
} {
  const useShare = input.some((s) => (s.groups ?? []).some((g) => g.share !== undefined));
  const value = (g: GroupIn): number | null => (useShare ? (g.share ?? null) : g.count);
  const max = Math.max(0, ...input.flatMap((s) => (s.groups ?? []).map((g) => finitePos(value(g)))));
  return { value, max };
}

/**
 * Which label alternative a stage's sub-bars use: the first index at which every sub-bar's label
 * fits its room (one precision for the whole stage, never 6.1% beside 15%); -1 when none does.
 */
function labelChoice(groups: readonly GroupIn[], room: (j: number) => number, size: number): number {
  const n = Math.max(0, ...groups.map((g) => g.labels?.length ?? 0));
  for (let a = 0; a < n; a++) {
    if (
      groups.every((g, j) => {
        const l = g.labels?.[a];
        return l !== undefined && textWidth(l, size) <= room(j);
      })
    )
      return a;
  }
  return -1;
}

function horizontal(
  input: readonly LayoutStageInput[],
  width: number,
  fs: number,
  heightOpt: number | undefined,
): FunnelLayout {
  const n = input.length;
  const colW = width / n;
  const textW = Math.max(0, colW - 8);
  const nameLH = Math.round(fs * 1.35);
  const countSize = fs + 4;
  const detailSize = fs - 1;
  const detailLH = Math.round(detailSize * 1.4);
  const connSize = fs - 1;
  const connLH = Math.round(connSize * 1.4);

  const wrapped = input.map((s) => wrapText(s.name, textW, fs, 2));
  const nameLines = Math.max(1, ...wrapped.map((w) => w.lines.length));
  const detailLines = Math.max(0, ...input.map((s) => s.details.length));
  const connLines = Math.max(0, ...input.slice(1).map((s) => s.connector.length));
  const groupCount = Math.max(0, ...input.map((s) => s.groups?.length ?? 0));
  const grouped = groupCount > 0;

  const headerH = nameLines * nameLH + Math.round(countSize * 1.35) + detailLines * detailLH + 6;
  const footerH = connLines ? connLines * connLH + 8 : 0;
  const subLabelH = grouped ? subLabelSize(fs) + 4 : 0;
  const minBars = 60;
  const height = Math.max(heightOpt ?? 300, headerH + footerH + minBars + subLabelH + 8);
  const barTop = headerH + 6 + subLabelH;
  const barBottom = height - footerH - 2;
  const range = Math.max(0, barBottom - barTop);
  const mid = (barTop + barBottom) / 2;
  // Grouped stages get wider bars: several sub-bars share the slot.
  const bw = grouped ? Math.min(colW * 0.82, 60 * groupCount) : Math.min(colW * 0.58, 160);

  const max = Math.max(0, ...input.map((s) => finitePos(s.count)));
  const gs_ = groupSizer(input);

  const stages: StageLayout[] = input.map((s, i) => {
    const cx = colW * i + colW / 2;
    const h = sized(s.count, max, range);
    const bar: Rect = { x: round(cx - bw / 2), y: round(mid - h / 2), width: round(bw), height: round(h) };
    let y = nameLH * 0.8;
    const names: TextLine[] = [];
    // Names are bottom-aligned in their band so counts line up across stages.
    const lines = wrapped[i]!.lines;
    y += (nameLines - lines.length) * nameLH;
    for (const t of lines) {
      names.push({ text: t, x: round(cx), y: round(y), anchor: 'middle', size: fs, role: 'name' });
      y += nameLH;
    }
    y = nameLines * nameLH + countSize * 1.05;
    const count: TextLine = {
      text: truncate(s.countText, textW, countSize),
      x: round(cx),
      y: round(y),
      anchor: 'middle',
      size: countSize,
      role: 'count',
    };
    y += countSize * 0.35 + detailLH * 0.85;
    const details: TextLine[] = s.details.map((d) => {
      const line: TextLine = {
        text: truncate(d, textW, detailSize),
        x: round(cx),
        y: round(y),
        anchor: 'middle',
        size: detailSize,
        role: 'detail',
      };
      y += detailLH;
      return line;
    });
    const subBars: StageLayout['subBars'] = [];
    const gs = s.groups ?? [];
    if (gs.length) {
      const gap = gs.length > 1 ? Math.min(3, bw / gs.length / 4) : 0;
      const sw = (bw - gap * (gs.length - 1)) / gs.length;
      const ls = subLabelSize(fs);
      // Labels sit above their own sub-bar and must not reach the neighbour's.
      const choice = labelChoice(gs, () => sw + gap - 1, ls);
      gs.forEach((g, j) => {
        const gh = sized(gs_.value(g), gs_.max, range);
        const x = cx - bw / 2 + j * (sw + gap);
        const rect: Rect = { x: round(x), y: round(mid - gh / 2), width: round(sw), height: round(gh) };
        const text = choice >= 0 ? (g.labels?.[choice] ?? null) : null;
        subBars.push({
          key: g.key,
          rect,
          label: text
            ? {
                text,
                x: round(x + sw / 2),
                y: round(mid - gh / 2 - 3),
                anchor: 'middle',
                size: ls,
                role: 'sub',
              }
            : null,
        });
      });
    }
    return {
      index: i,
      name: s.name,
      bar,
      slot: { x: round(colW * i + 1), y: 0, width: round(Math.max(0, colW - 2)), height: round(height) },
      nameLines: names,
      nameTruncated: wrapped[i]!.truncated,
      count,
      details,
      subBars,
    };
  });

  const connectors: ConnectorLayout[] = [];
  for (let i = 1; i < n; i++) {
    const a = stages[i - 1]!.bar;
    const b = stages[i]!.bar;
    const draw = !grouped && a.height > 0 && b.height > 0;
    const points: Array<[number, number]> = draw
      ? [
          [round(a.x + a.width), a.y],
          [b.x, b.y],
          [b.x, round(b.y + b.height)],
          [round(a.x + a.width), round(a.y + a.height)],
        ]
      : [];
    const x = round(colW * i);
    let y = barBottom + 4 + connLH * 0.8;
    const labels: TextLine[] = [];
    for (const t of input[i]!.connector) {
      const text = truncate(t, colW - 10, connSize);
      if (text) labels.push({ text, x, y: round(y), anchor: 'middle', size: connSize, role: 'connector' });
      y += connLH;
    }
    connectors.push({ to: i, points, labels });
  }
  return { orientation: 'horizontal', width: round(width), height: round(height), stages, connectors };
}

function vertical(
  input: readonly LayoutStageInput[],
  width: number,
  fs: number,
  heightOpt: number | undefined,
): FunnelLayout {
  const n = input.length;
  const nameW = Math.min(170, Math.max(56, width * 0.24));
  // Wide enough for "Overall 100.0%" at 11px even in a 320px card.
  const numW = Math.min(190, Math.max(100, width * 0.3));
  const x0 = nameW + 8;
  const x1 = Math.max(x0, width - numW - 8);
  const range = x1 - x0;
  const cx = (x0 + x1) / 2;
  const nameLH = Math.round(fs * 1.35);
  const countSize = fs + 2;
  const detailSize = fs - 1;
  const detailLH = Math.round(detailSize * 1.4);
  const connSize = fs - 1;
  const groupCount = Math.max(0, ...input.map((s) => s.groups?.length ?? 0));
  const grouped = groupCount > 0;

  const wrapped = input.map((s) => wrapText(s.name, nameW, fs, 2));
  // Details: joined on one line when they fit the numbers column, else stacked.
  const detailRows = input.map((s) => {
    const joined = s.details.join(' · ');
    if (!s.details.length) return [] as string[];
    return textWidth(joined, detailSize) <= numW
      ? [joined]
      : s.details.map((d) => truncate(d, numW, detailSize));
  });
  const numLinesMax = Math.max(1, ...detailRows.map((d) => 1 + d.length));
  const numH = Math.round(countSize * 1.3) + (numLinesMax - 1) * detailLH;
  const barThick = grouped ? Math.max(28, groupCount * 9 + (groupCount - 1) * 2) : 28;
  const rowH = Math.max(
    barThick + 6,
    wrapped.reduce((m, w) => Math.max(m, w.lines.length), 1) * nameLH + 4,
    numH + 4,
  );
  const connLines = input.slice(1).some((s) => s.connector.length) ? 1 : 0;
  const gapH = connLines ? Math.round(connSize * 1.4) + 8 : 10;
  const natural = n * rowH + (n - 1) * gapH;
  const height = Math.max(heightOpt ?? 0, natural);

  const max = Math.max(0, ...input.map((s) => finitePos(s.count)));
  const gs_ = groupSizer(input);

  const stages: StageLayout[] = input.map((s, i) => {
    const top = i * (rowH + gapH);
    const cy = top + rowH / 2;
    const w = sized(s.count, max, range);
    const bar: Rect = {
      x: round(cx - w / 2),
      y: round(cy - barThick / 2),
      width: round(w),
      height: barThick,
    };
    const lines = wrapped[i]!.lines;
    let y = cy - ((lines.length - 1) * nameLH) / 2 + fs * 0.35;
    const names: TextLine[] = lines.map((t) => {
      const l: TextLine = { text: t, x: 0, y: round(y), anchor: 'start', size: fs, role: 'name' };
      y += nameLH;
      return l;
    });
    const d = detailRows[i]!;
    const blockH = countSize * 1.1 + d.length * detailLH;
    let ny = cy - blockH / 2 + countSize * 0.9;
    const count: TextLine = {
      text: truncate(s.countText, numW, countSize),
      x: round(width),
      y: round(ny),
      anchor: 'end',
      size: countSize,
      role: 'count',
    };
    ny += countSize * 0.2 + detailLH * 0.9;
    const details: TextLine[] = d.map((t) => {
      const l: TextLine = {
        text: t,
        x: round(width),
        y: round(ny),
        anchor: 'end',
        size: detailSize,
        role: 'detail',
      };
      ny += detailLH;
      return l;
    });
    const subBars: StageLayout['subBars'] = [];
    const gs = s.groups ?? [];
    if (gs.length) {
      const gap = gs.length > 1 ? 2 : 0;
      const sh = (barThick - gap * (gs.length - 1)) / gs.length;
      const ls = subLabelSize(fs);
      const widths = gs.map((g) => sized(gs_.value(g), gs_.max, range));
      const choice = sh >= ls - 1 ? labelChoice(gs, (j) => x1 - (cx + widths[j]! / 2) - 3, ls) : -1;
      gs.forEach((g, j) => {
        const gw = widths[j]!;
        const y0 = cy - barThick / 2 + j * (sh + gap);
        const rect: Rect = { x: round(cx - gw / 2), y: round(y0), width: round(gw), height: round(sh) };
        const text = choice >= 0 ? (g.labels?.[choice] ?? null) : null;
        subBars.push({
          key: g.key,
          rect,
          label: text
            ? {
                text,
                x: round(cx + gw / 2 + 3),
                y: round(y0 + sh / 2 + ls * 0.35),
                anchor: 'start',
                size: ls,
                role: 'sub',
              }
            : null,
        });
      });
    }
    return {
      index: i,
      name: s.name,
      bar,
      slot: { x: 0, y: round(top), width: round(width), height: round(rowH) },
      nameLines: names,
      nameTruncated: wrapped[i]!.truncated,
      count,
      details,
      subBars,
    };
  });

  const connectors: ConnectorLayout[] = [];
  for (let i = 1; i < n; i++) {
    const a = stages[i - 1]!.bar;
    const b = stages[i]!.bar;
    const draw = !grouped && a.width > 0 && b.width > 0;
    const points: Array<[number, number]> = draw
      ? [
          [a.x, round(a.y + a.height)],
          [round(a.x + a.width), round(a.y + a.height)],
          [round(b.x + b.width), b.y],
          [b.x, b.y],
        ]
      : [];
    const gapMid = i * (rowH + gapH) - gapH / 2;
    const labels: TextLine[] = [];
    const texts = input[i]!.connector;
    if (texts.length) {
      // One line in the gap: everything joined when it fits, else the first text alone.
      const room = Math.max(0, width - x0);
      const joined = texts.join(' · ');
      const text = textWidth(joined, connSize) <= room ? joined : truncate(texts[0]!, room, connSize);
      if (text)
        labels.push({
          text,
          x: round(x0),
          y: round(gapMid + connSize * 0.35),
          anchor: 'start',
          size: connSize,
          role: 'connector',
        });
    }
    connectors.push({ to: i, points, labels });
  }
  return { orientation: 'vertical', width: round(width), height: round(height), stages, connectors };
}

/** Columns and panel width of a small-multiples grid (panels at least `minPanel` px wide). */
export function smallMultiplesGrid(
  width: number,
  count: number,
  minPanel = 280,
  gap = 12,
): { columns: number; panelWidth: number } {
  if (!(width > 0) || count <= 0)
    return { columns: 1, panelWidth: Math.max(0, Number.isFinite(width) ? width : 0) };
  const columns = Math.max(1, Math.min(count, Math.floor((width + gap) / (minPanel + gap))));
  return { columns, panelWidth: round((width - gap * (columns - 1)) / columns) };
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
