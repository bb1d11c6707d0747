/** Small helpers shared by the cohort builders: the spec type, messages, the Vega-Lite schema URL. */
import { COHORT_AREA } from '../../format/messages/cohort.js';
import { msg } from '../../format/messages.js';
import type { Locale } from '../../format/number.js';

/** A Vega-Lite spec as plain JSON. */
export type VlSpec = Record<string, unknown>;

export const M = (locale: Locale, key: string, vars?: Record<string, string | number>): string =>
  msg(locale, key, vars, COHORT_AREA);

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
