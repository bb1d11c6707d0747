/**
 * `<fin-model>`'s tables: the score-band table (bands display), the feature table with WOE bins on
 * demand (features display), and the data-table / CSV model of each display. Text-only templates.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { fig, ivReadingText, m, pct, psiReadingText } from '../../src/specs/model-common.js';
import type { ModelDisplay, MonitorModel } from '../../src/specs/model-common.js';
import type { Locale } from '../../src/format/number.js';
import type { TableCell, TableModel } from '../base/export.js';

const cell = (text: string, raw: number | string | null): TableCell => ({ text, raw });
const f = (v: number | null, L: Locale, d = 3): TableCell => cell(fig(v, L, d), v);
const p = (v: number | null, L: Locale): TableCell => cell(pct(v, L), v);
const n = (v: number, L: Locale): TableCell => cell(v.toLocaleString(L), v);

/** PD range of a band: (from, to], open ends shown as 0 and 1. */
function pdRange(from: number | null, to: number | null, L: Locale): string {
  return `${fig(from ?? 0, L, 4)} – ${fig(to ?? 1, L, 4)}`;
}

function bandsModel(model: MonitorModel, L: Locale): TableModel {
  return {
    columns: [
      { key: 'band', label: m(L, 'bandShort') },
      { key: 'range', label: m(L, 'colPdRange') },
      { key: 'count', label: m(L, 'colCount'), numeric: true },
      { key: 'bads', label: m(L, 'colBads'), numeric: true },
      { key: 'badRate', label: m(L, 'colBadRate'), numeric: true },
      { key: 'cumBad', label: m(L, 'colCumBad'), numeric: true },
      { key: 'cumGood', label: m(L, 'colCumGood'), numeric: true },
      { key: 'ks', label: m(L, 'colKs'), numeric: true },
      { key: 'lift', label: m(L, 'colLift'), numeric: true },
      { key: 'gain', label: m(L, 'colGain'), numeric: true },
    ],
    rows: model.bands.map((b) => [
      b.band,
      pdRange(b.from, b.to, L),
      n(b.count, L),
      n(b.bads, L),
      p(b.badRate, L),
      p(b.cumBadPct, L),
      p(b.cumGoodPct, L),
      f(b.ks, L),
      f(b.lift, L, 2),
      p(b.gain, L),
    ]),
  };
}

function featuresModel(model: MonitorModel, L: Locale): TableModel {
  return {
    columns: [
      { key: 'feature', label: m(L, 'colFeature') },
      { key: 'iv', label: m(L, 'colIv'), numeric: true },
      { key: 'ivReading', label: m(L, 'colIvReading') },
      { key: 'ivMonitoring', label: m(L, 'colIvMon'), numeric: true },
      { key: 'csi', label: m(L, 'colCsi'), numeric: true },
      { key: 'csiReading', label: m(L, 'colCsiReading') },
    ],
    rows: model.features.map((x) => [
      x.label,
      f(x.iv, L),
      ivReadingText(x.ivReading, L),
      f(x.ivMonitoring, L),
      f(x.csi, L),
      psiReadingText(x.csiReading, L),
    ]),
  };
}

/** The data-table view and CSV of a display. */
export function tableModelOf(display: ModelDisplay, model: MonitorModel, L: Locale): TableModel {
  switch (display) {
    case 'curves':
      return {
        columns: [
          { key: 'threshold', label: m(L, 'colThreshold'), numeric: true },
          { key: 'population', label: m(L, 'colPopulation'), numeric: true },
          { key: 'tpr', label: m(L, 'colTpr'), numeric: true },
          { key: 'fpr', label: m(L, 'colFpr'), numeric: true },
          { key: 'ks', label: m(L, 'colKs'), numeric: true },
        ],
        rows: model.curve.map((c) => [f(c.threshold, L, 4), p(c.population, L), p(c.tpr, L), p(c.fpr, L), f(c.ks, L)]),
      };
    case 'bands':
      return bandsModel(model, L);
    case 'stability':
      return {
        columns: [
          { key: 'band', label: m(L, 'bandShort') },
          { key: 'expected', label: m(L, 'colExpected'), numeric: true },
          { key: 'actual', label: m(L, 'colActual'), numeric: true },
          { key: 'psi', label: m(L, 'colPsiPart'), numeric: true },
        ],
        rows: model.distribution.map((d) => {
          // The band's PSI term, a zero share counted as 0.0001 (METRICS.md).
          const e = d.expected === null ? null : Math.max(d.expected, 0.0001);
          const a = d.actual === null ? null : Math.max(d.actual, 0.0001);
          const term = e !== null && a !== null ? (a - e) * Math.log(a / e) : null;
          return [d.band, p(d.expected, L), p(d.actual, L), f(term, L, 4)];
        }),
      };
    case 'features':
      return featuresModel(model, L);
    default:
      return {
        columns: [
          { key: 'month', label: m(L, 'colMonth') },
          { key: 'sample', label: m(L, 'colSample') },
          { key: 'count', label: m(L, 'colCount'), numeric: true },
          { key: 'bads', label: m(L, 'colBads'), numeric: true },
          { key: 'badRate', label: m(L, 'colBadRate'), numeric: true },
          { key: 'auc', label: 'AUC', numeric: true },
          { key: 'ks', label: 'KS', numeric: true },
          { key: 'gini', label: 'Gini', numeric: true },
          { key: 'psi', label: 'PSI', numeric: true },
        ],
        rows: model.months.map((r) => [
          r.month,
          m(L, r.development ? 'development' : 'monitoring'),
          n(r.count, L),
          n(r.events, L),
          p(r.eventRate, L),
          f(r.auc, L),
          f(r.ks, L),
          f(r.gini, L),
          f(r.psi, L),
        ]),
      };
  }
}

const text = (c: TableCell): string => (c === null || c === undefined ? '—' : typeof c === 'object' ? c.text : String(c));

/** A plain table of a model (bands display). */
export function bandTable(model: MonitorModel, L: Locale): TemplateResult {
  const t = bandsModel(model, L);
  return html`<div part="bands" tabindex="0" role="region" aria-label=${m(L, 'viewBands')}>
    <table>
      <thead><tr>${t.columns.map((c) => html`<th scope="col" class=${c.numeric ? 'num' : ''}>${c.label}</th>`)}</tr></thead>
      <tbody>${t.rows.map((row) => html`<tr>${row.map((c, i) => html`<td class=${t.columns[i]?.numeric ? 'num' : ''}>${text(c)}</td>`)}</tr>`)}</tbody>
    </table>
  </div>`;
}

const readingClass = (r: string): string => (r === 'shifted' || r === 'suspect' ? `reading-${r}` : r === 'watch' ? 'reading-watch' : '');

/** The feature table; a feature's WOE bins open under its row. */
export function featureTable(model: MonitorModel, L: Locale, open: string | null, toggle: (feature: string) => void): TemplateResult {
  const cols = featuresModel(model, L).columns;
  return html`<div part="features" tabindex="0" role="region" aria-label=${m(L, 'viewFeatures')}>
    <table>
      <thead>
        <tr>
          ${cols.map((c) => html`<th scope="col" class=${c.numeric ? 'num' : ''}>${c.label}</th>`)}
          <th scope="col">${m(L, 'colBins')}</th>
        </tr>
      </thead>
      <tbody>
        ${model.features.map((x) => {
          const isOpen = open === x.feature;
          return html`<tr>
              <th scope="row">${x.label}</th>
              <td class="num">${fig(x.iv, L)}</td>
              <td class=${readingClass(x.ivReading)}>${ivReadingText(x.ivReading, L)}</td>
              <td class="num">${fig(x.ivMonitoring, L)}</td>
              <td class="num">${fig(x.csi, L)}</td>
              <td class=${readingClass(x.csiReading)}>${psiReadingText(x.csiReading, L)}</td>
              <td>
                <button
                  aria-expanded=${isOpen ? 'true' : 'false'}
                  aria-label=${m(L, isOpen ? 'hideBins' : 'showBins', { feature: x.label })}
                  @click=${() => toggle(x.feature)}
                >
                  ${m(L, isOpen ? 'hide' : 'bins')}
                </button>
              </td>
            </tr>
            ${isOpen ? binRows(x.bins, L, cols.length + 1) : nothing}`;
        })}
      </tbody>
    </table>
  </div>`;
}

function binRows(bins: MonitorModel['features'][number]['bins'], L: Locale, span: number): TemplateResult {
  if (!bins) return html`<tr part="bins"><td colspan=${span}>${m(L, 'noBins')}</td></tr>`;
  return html`<tr part="bins">
    <td colspan=${span}>
      <table>
        <thead>
          <tr>
            <th scope="col">${m(L, 'colBin')}</th>
            <th scope="col" class="num">${m(L, 'colCount')}</th>
            <th scope="col" class="num">${m(L, 'colDevShare')}</th>
            <th scope="col" class="num">${m(L, 'colMonShare')}</th>
            <th scope="col" class="num">${m(L, 'colBadRate')}</th>
            <th scope="col" class="num">${m(L, 'colWoe')}</th>
            <th scope="col" class="num">${m(L, 'colBinIv')}</th>
          </tr>
        </thead>
        <tbody>
          ${bins.map(
            (b) => html`<tr>
              <td>${b.label}</td>
              <td class="num">${b.count.toLocaleString(L)}</td>
              <td class="num">${pct(b.devShare, L)}</td>
              <td class="num">${pct(b.monShare, L)}</td>
              <td class="num">${pct(b.badRate, L)}</td>
              <td class="num">${fig(b.woe, L)}</td>
              <td class="num">${fig(b.iv, L, 4)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </td>
  </tr>`;
}
