/**
 * The trend display of `<fin-fund-flow>` around its Vega chart: the legend, the tooltip lines of a
 * period, and the table view whose row headers select periods from the keyboard.
 */
import { html, nothing, svg } from 'lit';
import type { TemplateResult } from 'lit';
import { formatValue } from '../../src/format/number.js';
import type { Locale } from '../../src/format/number.js';
import { groupText, money, signedMoney } from '../../src/specs/fund-flow.js';
import type { TrendColors, TrendModel } from '../../src/specs/fund-flow.js';
import { m } from '../../src/specs/fund-flow/shared.js';
import { CATEGORICAL } from '../../src/theme/tokens.js';
import type { TableModel } from '../base/export.js';

function swatch(color: string, kind: 'bar' | 'line' | 'dash' | 'point-line'): TemplateResult {
  return html`<svg width="22" height="12" viewBox="0 0 22 12" aria-hidden="true">
    ${
      kind === 'bar'
        ? svg`<rect x="5" y="1" width="12" height="10" rx="1.5" fill=${color}></rect>`
        : svg`<line x1="1" y1="6" x2="21" y2="6" stroke=${color} stroke-width=${kind === 'point-line' ? 2 : 1.5}
            stroke-dasharray=${kind === 'dash' ? '4 3' : 'none'}></line>
          ${kind === 'point-line' ? svg`<circle cx="11" cy="6" r="3" fill=${color}></circle>` : nothing}`
    }
  </svg>`;
}

/** Legend of the trend: groups (with `by`) or net inflow / outflow, the cumulative line, the flow lines. */
export function trendLegend(
  model: TrendModel,
  c: TrendColors,
  L: Locale,
  showFlows: boolean,
): TemplateResult {
  const items: Array<[string, TemplateResult]> = [];
  if (model.groups.length) {
    model.groups.forEach((g, i) =>
      items.push([groupText(g, L), swatch(CATEGORICAL[i % CATEGORICAL.length]!, 'bar')]),
    );
  } else {
    items.push([m(L, 'netIn'), swatch(c.positive, 'bar')], [m(L, 'netOut'), swatch(c.negative, 'bar')]);
  }
  items.push([m(L, 'cumulative'), swatch(c.accent, 'point-line')]);
  if (showFlows)
    items.push([m(L, 'inflow'), swatch(c.positive, 'line')], [m(L, 'outflow'), swatch(c.negative, 'dash')]);
  return html`<ul part="legend" aria-label=${m(L, 'legendLabel')}>
    ${items.map(([text, sw]) => html`<li>${sw}<span>${text}</span></li>`)}
  </ul>`;
}

/** Tooltip lines of a period: inflow, outflow, net, cumulative, count, groups; [] for an unknown period. */
export function trendTooltip(tm: TrendModel, period: string, L: Locale): string[] {
  const t = tm.totals.find((x) => x.period === period);
  if (!t) return [];
  const lines = [
    t.label,
    m(L, 'tipInflow', { v: money(t.inflow, L) }),
    m(L, 'tipOutflow', { v: money(t.outflow, L) }),
    m(L, 'tipNet', { v: signedMoney(t.net, L) }),
    m(L, 'tipValue', { name: m(L, 'cumulative'), v: signedMoney(t.cum, L) }),
  ];
  if (t.count !== null) lines.push(m(L, 'tipCount', { v: formatValue(t.count, 'count', L) }));
  if (tm.groups.length) {
    for (const p of tm.points.filter((x) => x.period === t.period).slice(0, 8))
      lines.push(m(L, 'tipValue', { name: groupText(p.group, L), v: signedMoney(p.net, L) }));
  }
  lines.push(m(L, 'periodHint'));
  return lines;
}

function cellText(c: TableModel['rows'][number][number] | undefined): string {
  if (c === null || c === undefined) return '—';
  if (typeof c === 'object') return c.text;
  return String(c);
}

export interface TrendTableOptions {
  locale: Locale;
  /** Caption (the basis title). */
  caption: string;
  /** Accessible name of the table region. */
  label: string;
  /** Period of each table row. */
  periods: readonly string[];
  /** The selected period, when the element selected it. */
  selected: string | null;
  select(period: string): void;
}

/** Table view of the trend: each row header is a button selecting its period. */
export function trendTable(t: TableModel, o: TrendTableOptions): TemplateResult {
  return html`<div part="table" tabindex="0" role="region" aria-label=${o.label}>
    <table>
      <caption>
        ${o.caption}
      </caption>
      <thead>
        <tr>
          ${t.columns.map((c) => html`<th scope="col" class=${c.numeric ? 'num' : ''}>${c.label}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${t.rows.map((row, ri) => {
          const period = o.periods[ri]!;
          return html`<tr>
            <th scope="row" class="rowhead">
              <button
                class="link"
                aria-pressed=${o.selected === period ? 'true' : 'false'}
                title=${m(o.locale, 'periodHint')}
                @click=${() => o.select(period)}
              >
                ${cellText(row[0])}
              </button>
            </th>
            ${row.slice(1).map((cell, i) => html`<td class=${t.columns[i + 1]?.numeric ? 'num' : ''}>${cellText(cell)}</td>`)}
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}
