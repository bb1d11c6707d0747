/**
 * `<fin-profile>` TGI bars: per categorical attribute a small multiple of its values, each bar
 * drawn from 100 to the value's TGI (right = over-represented in the group, left = under), a
 * reference rule at 100, the TGI as a label, and values held by fewer than `minCount` group
 * customers drawn pale. Attributes stack vertically and share the TGI axis.
 *
 * CSP: value labels reach Vega as scale domains (hoisted to signals by safe-values.ts) and text
 * from `data.values`; colours and opacities travel in the data and are read with `scale: null`.
 */
import { msg } from '../format/messages.js';
import { PROFILE_AREA } from '../format/messages/profile.js';
import { formatValue } from '../format/number.js';
import type { Locale } from '../format/number.js';

/** A Vega-Lite spec as plain JSON. */
export type VlSpec = Record<string, unknown>;

type Bi = { 'zh-CN': string; 'en-US': string };

export interface ProfileValue {
  attribute: string;
  attributeLabel: string;
  value: string;
  groupCount: number;
  groupShare: number | null;
  baseCount: number;
  baseShare: number | null;
  tgi: number | null;
  small: boolean;
}

export interface ProfileNumeric {
  attribute: string;
  label: string;
  group: { n: number; mean: number | null; median: number | null; q1: number | null; q3: number | null };
  base: { n: number; mean: number | null; median: number | null; q1: number | null; q3: number | null };
  index: number | null;
}

export interface ProfileModel {
  locale: Locale;
  values: ProfileValue[];
  /** Attributes in result order, with their labels. */
  attributes: Array<{ id: string; label: string }>;
  numeric: ProfileNumeric[];
  groupLabel: string;
  groupSize: number;
  groupSmall: boolean;
  baseKind: 'all' | 'rest';
  baseSize: number;
  minCount: number;
}

export interface ProfileTheme {
  fg: string;
  muted: string;
  border: string;
  bg: string;
  over: string;
  under: string;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const text = (v: unknown, L: Locale): string => {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const s = (v as Partial<Bi>)[L] ?? (v as Partial<Bi>)['en-US'];
    return typeof s === 'string' ? s : '';
  }
  return '';
};
const stats = (v: unknown): ProfileNumeric['group'] => {
  const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  return { n: num(o['n']) ?? 0, mean: num(o['mean']), median: num(o['median']), q1: num(o['q1']), q3: num(o['q3']) };
};

/** Read a `profile` result (throws when a row is not an attribute value). */
export function profileModel(r: { data: Array<Record<string, unknown>>; meta?: Record<string, unknown> | undefined; basis?: { options?: Record<string, unknown> } | undefined }, locale: Locale): ProfileModel {
  const values: ProfileValue[] = r.data.map((d, i) => {
    if (typeof d['attribute'] !== 'string') throw new Error(`Row ${i} of the profile result has no attribute`);
    return {
      attribute: d['attribute'],
      attributeLabel: text(d['attributeLabel'], locale) || d['attribute'],
      value: d['value'] === null || d['value'] === undefined ? '—' : String(d['value']),
      groupCount: num(d['groupCount']) ?? 0,
      groupShare: num(d['groupShare']),
      baseCount: num(d['baseCount']) ?? 0,
      baseShare: num(d['baseShare']),
      tgi: num(d['tgi']),
      small: d['small'] === true,
    };
  });
  const attributes: ProfileModel['attributes'] = [];
  for (const v of values) if (!attributes.some((a) => a.id === v.attribute)) attributes.push({ id: v.attribute, label: v.attributeLabel });
  const meta = (r.meta ?? {}) as Record<string, unknown>;
  const g = (meta['group'] ?? {}) as Record<string, unknown>;
  const b = (meta['base'] ?? {}) as Record<string, unknown>;
  const numeric: ProfileNumeric[] = (Array.isArray(meta['numeric']) ? (meta['numeric'] as Array<Record<string, unknown>>) : [])
    .filter((x) => x && typeof x['attribute'] === 'string')
    .map((x) => ({
      attribute: x['attribute'] as string,
      label: text(x['label'], locale) || (x['attribute'] as string),
      group: stats(x['group']),
      base: stats(x['base']),
      index: num(x['index']),
    }));
  return {
    locale,
    values,
    attributes,
    numeric,
    groupLabel: text(g['label'], locale),
    groupSize: num(g['size']) ?? 0,
    groupSmall: g['small'] === true,
    baseKind: b['kind'] === 'rest' ? 'rest' : 'all',
    baseSize: num(b['size']) ?? 0,
    minCount: num(r.basis?.options?.['minCount']) ?? 30,
  };
}

/** TGI axis cap: bars beyond it stop at the edge (their label still gives the value). */
export function tgiCap(values: ProfileValue[]): number {
  const max = Math.max(0, ...values.map((v) => v.tgi ?? 0));
  return max <= 200 ? 200 : max <= 300 ? 300 : 400;
}

export interface TgiInput {
  model: ProfileModel;
  width: number;
  theme: ProfileTheme;
  /** One attribute, or '' for all. */
  attribute: string;
}

export const TGI_ROW = 20;
/** Bars per attribute: the values beyond the most common ones are drawn as one "other" bar. */
export const MAX_BARS = 12;

/**
 * The bars of one attribute: its values in result order, or — above MAX_BARS — the first
 * MAX_BARS − 1 and one bar for the rest (their counts summed, TGI from the sums), so a city list
 * of hundreds stays readable and no value is left out of the picture. The table view lists all.
 */
export function barValues(model: ProfileModel, attribute: string): ProfileValue[] {
  const vs = model.values.filter((v) => v.attribute === attribute);
  if (vs.length <= MAX_BARS) return vs;
  const keep = vs.slice(0, MAX_BARS - 1);
  const rest = vs.slice(MAX_BARS - 1);
  const g = rest.reduce((a, v) => a + v.groupCount, 0);
  const b = rest.reduce((a, v) => a + v.baseCount, 0);
  const gs = model.groupSize > 0 ? g / model.groupSize : null;
  const bs = model.baseSize > 0 ? b / model.baseSize : null;
  const first = vs[0]!;
  return [
    ...keep,
    {
      attribute,
      attributeLabel: first.attributeLabel,
      value: msg(model.locale, 'otherValues', { n: rest.length }, PROFILE_AREA),
      groupCount: g,
      groupShare: gs,
      baseCount: b,
      baseShare: bs,
      tgi: gs !== null && bs ? (gs / bs) * 100 : null,
      small: g < model.minCount,
    },
  ];
}

export function profileTgiSpec(input: TgiInput): { spec: VlSpec; cap: number } {
  const { model, theme } = input;
  const L = model.locale;
  const attrs = model.attributes.filter((a) => !input.attribute || a.id === input.attribute);
  const shown = model.values.filter((v) => attrs.some((a) => a.id === v.attribute));
  const cap = tgiCap(shown);
  const labelW = Math.min(160, Math.max(60, Math.floor(input.width * 0.28)));
  const width = Math.max(120, input.width - labelW - 40);
  const panel = (a: { id: string; label: string }, last: boolean): Record<string, unknown> => {
    const rows = barValues(model, a.id)
      .map((v) => {
        const t = v.tgi;
        return {
          attribute: v.attribute,
          value: v.value,
          tgi: t === null ? 100 : Math.min(cap, t),
          b: 100,
          fill: t === null ? theme.muted : t >= 100 ? theme.over : theme.under,
          op: v.small ? 0.35 : 0.9,
          t: t === null ? '—' : `${formatValue(t, 'number', L, 0)}${v.small ? '*' : ''}`,
          al: t !== null && t < 100 ? 'right' : 'left',
          dx: t !== null && t < 100 ? -4 : 4,
        };
      });
    const domain = rows.map((r) => r.value);
    const y = { field: 'value', type: 'nominal', sort: null, scale: { domain, paddingInner: 0.25 }, axis: { title: null, labelLimit: labelW, labelColor: theme.fg, ticks: false, domain: false, minExtent: labelW } };
    const x = {
      field: 'tgi',
      type: 'quantitative',
      scale: { domain: [0, cap], nice: false, clamp: true },
      axis: last
        ? { title: msg(L, 'tgiAxis', undefined, PROFILE_AREA), titleColor: theme.fg, labelColor: theme.muted, grid: true, gridColor: theme.border, values: [0, 50, 100, 150, 200, 300, 400].filter((v) => v <= cap) }
        : { title: null, labels: false, ticks: false, domain: false, grid: true, gridColor: theme.border, values: [0, 50, 100, 150, 200, 300, 400].filter((v) => v <= cap) },
    };
    return {
      width,
      height: Math.max(TGI_ROW, rows.length * TGI_ROW),
      title: { text: a.label, anchor: 'start', fontSize: 12, fontWeight: 600, color: theme.fg, offset: 4 },
      layer: [
        {
          data: { values: rows },
          mark: { type: 'bar', cornerRadius: 1 },
          encoding: { y, x, x2: { field: 'b' }, color: { field: 'fill', type: 'nominal', scale: null, legend: null }, opacity: { field: 'op', type: 'quantitative', scale: null, legend: null } },
        },
        { data: { values: [{ b: 100 }] }, mark: { type: 'rule', color: theme.fg, strokeWidth: 1.2 }, encoding: { x: { field: 'b', type: 'quantitative' } } },
        {
          data: { values: rows.filter((r) => r.al === 'left') },
          mark: { type: 'text', align: 'left', dx: 4, fontSize: 11, fill: theme.fg },
          encoding: { y, x, text: { field: 't', type: 'nominal' } },
        },
        {
          data: { values: rows.filter((r) => r.al === 'right') },
          mark: { type: 'text', align: 'right', dx: -4, fontSize: 11, fill: theme.fg },
          encoding: { y, x, text: { field: 't', type: 'nominal' } },
        },
      ],
    };
  };
  return {
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      background: null,
      vconcat: attrs.map((a, i) => panel(a, i === attrs.length - 1)),
      spacing: 14,
      resolve: { scale: { x: 'shared', y: 'independent' } },
      config: { view: { stroke: null } },
    },
    cap,
  };
}
