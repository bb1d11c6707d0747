/** What every RFM spec shares: input options, selection dimming, segment texts, share format, truncation, the base spec. */
import { msg } from '../../format/messages.js';
import { RFM_AREA } from '../../format/messages/rfm.js';
import { formatValue } from '../../format/number.js';
import type { Locale } from '../../format/number.js';
import { textWidth } from '../heatmap.js';
import type { TextMeasure } from '../heatmap.js';
import type { RfmTheme } from './colors.js';
import type { RfmSegment, RfmModel } from './model.js';

export const AXIS_FONT = 11;
export const VALUE_FONT = 11;
export const M = (locale: Locale, key: string, vars?: Record<string, string | number>): string =>
  msg(locale, key, vars, RFM_AREA);

export interface RfmSpecInput {
  model: RfmModel;
  /** Available width in CSS px. */
  width: number;
  theme: RfmTheme;
  /** Segment colours (segmentColors). */
  colors: Record<string, string>;
  /** Selected segment ids (one, or a cn8 quadrant's two); the rest are dimmed. */
  selected?: readonly string[] | null | undefined;
  /** Text alternative: the view's `description` (Vega puts it on the container as aria-label). */
  description?: string | undefined;
  /** Text measurer (px); the element passes a canvas one, node tests use the estimate. */
  measure?: TextMeasure | undefined;
}

const DIM = 0.32;
/** Text of dimmed marks stays readable (the marks themselves fade further). */
export const DIM_TEXT = 0.6;
export const textOpacity = (op: number): number => (op < 1 ? DIM_TEXT : 1);

export function opacityFor(ids: readonly string[], selected: readonly string[] | null | undefined): number {
  if (!selected || selected.length === 0) return 1;
  return ids.some((id) => selected.includes(id)) ? 1 : DIM;
}

/** Formatted texts of a segment (customers, shares, Σ M), shared by bars, treemap and tooltip. */
export function segmentTexts(
  s: RfmSegment,
  locale: Locale,
): { customers: string; share: string; monetary: string; monetaryShare: string } {
  return {
    customers: formatValue(s.customers, 'count', locale),
    share: formatShare(s.share, locale),
    monetary: formatValue(s.monetary, 'currency-compact', locale),
    monetaryShare: formatShare(s.monetaryShare, locale),
  };
}

/** A share with one decimal; a positive share that would round to 0.0% reads `<0.1%`. */
export function formatShare(x: number | null, locale: Locale): string {
  if (x !== null && x > 0 && x < 0.0005) return `<${formatValue(0.001, 'percent', locale, 1)}`;
  return formatValue(x, 'percent', locale, 1);
}

/** Cut a text to `w` px with an ellipsis; '' when not even two characters and the ellipsis fit. */
export function truncate(text: string, w: number, size: number, measure: TextMeasure = textWidth): string {
  if (measure(text, size) <= w) return text;
  const chars = [...text];
  for (let n = chars.length - 1; n >= 2; n--) {
    const cut = chars.slice(0, n).join('').trimEnd() + '…';
    if (measure(cut, size) <= w) return cut;
  }
  return '';
}

export function baseSpec(input: RfmSpecInput): Record<string, unknown> {
  const t = input.theme;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(input.description ? { description: input.description } : {}),
    config: {
      view: { stroke: null },
      axis: {
        labelColor: t.muted,
        titleColor: t.muted,
        labelFontSize: AXIS_FONT,
        titleFontSize: AXIS_FONT,
        titleFontWeight: 'normal',
      },
      title: { color: t.fg, fontSize: 12, fontWeight: 600, anchor: 'start', offset: 6 },
      text: { color: t.fg },
    },
  };
}
