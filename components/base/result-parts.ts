import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { MetricResult } from '../../src/engine/types.js';
import { filtersText, optionsText } from '../../src/format/basis.js';
import { msg, pick, reasonText } from '../../src/format/messages.js';
import type { Locale } from '../../src/format/number.js';
import type { TableModel } from './export.js';

/**
 * The named parts every element shows around its chart, as templates of a result: the partial-data
 * warning, the data-table view and the basis (口径) panel. Text only: every value is a text binding.
 */

/** Exclusion reasons that are data problems (vs exclusions by definition, e.g. closed loans). */
export function isDataProblem(reason: string): boolean {
  return /^(missing|unparseable|invalid|duplicate|unknown|negative|out_of_range|bad)/.test(reason);
}

/** The partial-data warning: the data problems counted by reason, then the result's warnings. */
export function qualityPart(r: MetricResult, lang: Locale): TemplateResult {
  const ex = Object.fromEntries(
    Object.entries(r.quality?.excluded ?? {}).filter(([k, v]) => v > 0 && isDataProblem(k)),
  );
  const n = Object.values(ex).reduce((a, b) => a + b, 0);
  const reasons = Object.entries(ex)
    .map(([k, v]) => `${reasonText(lang, k)} ${v}`)
    .join(lang === 'zh-CN' ? '，' : ', ');
  const warnings = (r.quality?.warnings ?? []).map((w) => pick(w, lang));
  return html`<div part="quality" role="note">
    <strong>${msg(lang, 'partial')}</strong>
    ${n > 0 ? html` · ${msg(lang, 'partialDetail', { n, reasons })}` : nothing}
    ${warnings.map((w) => html`<div>${w}</div>`)}
  </div>`;
}

/** The data-table view of `m` (the element's table model of `r`), captioned with the result's title. */
export function tablePart(m: TableModel, r: MetricResult, lang: Locale): TemplateResult {
  return html`<div part="table" tabindex="0" role="region" aria-label=${msg(lang, 'table')}>
    <table>
      <caption>
        ${pick(r.basis.title, lang)}
      </caption>
      <thead>
        <tr>
          ${m.columns.map((c) => html`<th scope="col" class=${c.numeric ? 'num' : ''}>${c.label}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${m.rows.map(
          (row) =>
            html`<tr>
              ${row.map((cell, i) => html`<td class=${m.columns[i]?.numeric ? 'num' : ''}>${cellText(cell)}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** The basis (口径) panel: formula, numerator, denominator, as-of, options, filters, exclusions, notes. */
export function basisPart(r: MetricResult, lang: Locale): TemplateResult {
  const b = r.basis;
  const t = (key: string): string => msg(lang, key);
  const opts = optionsText(b.options, lang);
  return html`<div part="basis" role="note" aria-label=${t('basis')}>
    <dl>
      <dt>${t('formula')}</dt>
      <dd>${pick(b.formula, lang)}</dd>
      ${
        b.numerator
          ? html`<dt>${t('numerator')}</dt>
              <dd>${pick(b.numerator, lang)}</dd>`
          : nothing
      }
      ${
        b.denominator
          ? html`<dt>${t('denominator')}</dt>
              <dd>${pick(b.denominator, lang)}</dd>`
          : nothing
      }
      ${
        b.asOf
          ? html`<dt>${t('asOf')}</dt>
              <dd>${b.asOf}</dd>`
          : nothing
      }
      ${
        opts
          ? html`<dt>${t('options')}</dt>
              <dd>${opts}</dd>`
          : nothing
      }
      ${
        b.filters?.length
          ? html`<dt>${t('filters')}</dt>
              <dd>${filtersText(b.filters, lang)}</dd>`
          : nothing
      }
      ${
        b.exclusions?.length
          ? html`<dt>${t('exclusions')}</dt>
              <dd>${b.exclusions.map((e) => pick(e, lang)).join('; ')}</dd>`
          : nothing
      }
      ${
        b.notes?.length
          ? html`<dt>${t('notes')}</dt>
              <dd>${b.notes.map((e) => pick(e, lang)).join('; ')}</dd>`
          : nothing
      }
    </dl>
  </div>`;
}

function cellText(c: TableModel['rows'][number][number]): string {
  if (c === null || c === undefined) return '—';
  if (typeof c === 'object') return c.text;
  return String(c);
}
