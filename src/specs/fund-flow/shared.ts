/** Small helpers shared by the `<fin-fund-flow>` view builders: the spec type, messages, value coercion. */
import { msg } from '../../format/messages.js';
import { FUND_FLOW_AREA } from '../../format/messages/fund-flow.js';
import type { Locale } from '../../format/number.js';

/** A Vega-Lite spec as plain JSON. */
export type Spec = Record<string, unknown>;

export const m = (locale: Locale, key: string, vars?: Record<string, string | number>): string =>
  msg(locale, key, vars, FUND_FLOW_AREA);

export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
export const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
