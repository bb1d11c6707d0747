/**
 * Every user-facing message, one module (per-area files under messages/ are aggregated here).
 * `msg(locale, area, key, vars)` formats with `{name}` placeholders; values are plain text and
 * are only ever rendered as text nodes.
 */
import type { Locale } from './number.js';
import { common } from './messages/common.js';

type Bi = { 'zh-CN': string; 'en-US': string };

/** Registered message areas (elements add theirs through `registerMessages`). */
const AREAS = new Map<string, Record<string, unknown>>([['common', common as unknown as Record<string, unknown>]]);

/** Add an area of messages (each element's messages file calls this once). */
export function registerMessages(area: string, messages: Record<string, Bi>): void {
  AREAS.set(area, messages);
}

/** Look up and interpolate a message; unknown keys return the key itself (visible, never a throw). */
export function msg(locale: Locale, key: string, vars?: Record<string, string | number>, area = 'common'): string {
  const entry = AREAS.get(area)?.[key] as Bi | undefined;
  const s = entry?.[locale] ?? entry?.['en-US'] ?? key;
  return vars ? s.replace(/\{(\w+)\}/g, (_, k: string) => (k in vars ? String(vars[k]) : `{${k}}`)) : s;
}

/** Pick the text of a bilingual value. */
export function pick(text: Bi | string | null | undefined, locale: Locale): string {
  if (text === null || text === undefined) return '';
  return typeof text === 'string' ? text : (text[locale] ?? text['en-US']);
}

/** Localised name of a quality / rejection reason id. */
export function reasonText(locale: Locale, reason: string): string {
  return common.reasons[locale][reason] ?? reason.replace(/_/g, ' ');
}

/** Localised title of an error code. */
export function errorText(locale: Locale, code: string): string {
  return common.errors[locale][code] ?? common.errors[locale]['bad_input']!;
}

export { common };
