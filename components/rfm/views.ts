import { html, nothing, svg } from 'lit';
import type { TemplateResult } from 'lit';
import type { FilterClause, MetricResult } from '../../src/engine/types.js';
import { RFM_SEGMENT_FIELD } from '../../src/dashboard/segments.js';
import { msg, pick, reasonText } from '../../src/format/messages.js';
import { RFM_AREA } from '../../src/format/messages/rfm.js';
import { formatValue } from '../../src/format/number.js';
import type { Locale } from '../../src/format/number.js';
import { cn8Quadrant, formatShare, segmentTexts } from '../../src/specs/rfm.js';
import type { RfmModel, RfmSegment } from '../../src/specs/rfm.js';
import type { TableModel } from '../base/export.js';
import type { RfmCustomerRow } from './customers.js';

/** The text views of `<fin-rfm>`: the customer list, the table model and the summary sentence. */

export /** State of the customer list of the selected segment(s). */
interface CustomerList {
  /** Selected ids the list belongs to (comma-joined). */
  key: string;
  state: 'loading' | 'ok' | 'error' | 'none';
  rows: RfmCustomerRow[];
  total: number;
  message?: string;
}

function m(L: Locale, key: string, vars?: Record<string, string | number>): string {
  return msg(L, key, vars, RFM_AREA);
}

/**
 * Exclusions that are part of the RFM definition rather than data problems: transactions outside
 * the window (before it, or after the as-of date) and customers without a transaction in it. They
 * are shown as a note and in the basis, and do not put the element in its partial-data state.
 */
export const BY_DEFINITION = new Set([
  'before_window',
  'after_as_of',
  'customers_no_txn_in_window',
  'customers_no_transactions',
]);

/** The localised name of an exclusion reason (this metric's wording first). */
export function rfmReason(L: Locale, k: string): string {
  const key = `reason.${k}`;
  const s = m(L, key);
  return s === key ? reasonText(L, k) : s;
}

/** Data-quality note with this metric's reason names (rows missing a customer, date or amount). */
export function renderRfmQuality(
  r: MetricResult,
  L: Locale,
  t: (key: string, vars?: Record<string, string | number>) => string,
  reason: (k: string) => string,
): TemplateResult {
  const ex = Object.fromEntries(
    Object.entries(r.quality?.excluded ?? {}).filter(([k]) => !BY_DEFINITION.has(k)),
  );
  const n = Object.values(ex).reduce((a, b) => a + b, 0);
  const reasons = Object.entries(ex)
    .map(([k, v]) => `${reason(k)} ${formatValue(v, 'count', L)}`)
    .join(L === 'zh-CN' ? '，' : ', ');
  const warnings = (r.quality?.warnings ?? []).map((w) => pick(w, L));
  return html`<div part="quality" role="note">
    <strong>${t('partial')}</strong>
    ${n > 0 ? html` · ${t('partialDetail', { n: formatValue(n, 'count', L), reasons })}` : nothing}
    ${warnings.map((w) => html`<div>${w}</div>`)}
  </div>`;
}

/** ` (x)` / `（x）` */
function paren(L: Locale, x: string): string {
  return L === 'zh-CN' ? `（${x}）` : ` (${x})`;
}

/** Tooltip lines of a hovered mark: a segment (bar, tile) or an R × F grid cell. */
export function rfmTooltipLines(model: RfmModel, L: Locale, datum: Record<string, unknown>): string[] {
  const sep = L === 'zh-CN' ? '：' : ': ';
  const seg = datum['seg'];
  if (typeof seg === 'string') {
    const s = model.segments.find((x) => x.id === seg);
    if (!s) return [];
    const tx = segmentTexts(s, L);
    const f1 = (v: number | null): string => formatValue(v, 'number', L, 1);
    return [
      s.label,
      `${m(L, 'customers')}${sep}${tx.customers}${paren(L, tx.share)}`,
      `${m(L, model.monetaryMode === 'mean' ? 'monetaryMean' : 'monetary')}${sep}${tx.monetary}${paren(L, tx.monetaryShare)}`,
      `${m(L, 'meanRecencyDays')}${sep}${f1(s.meanRecencyDays)}`,
      `${m(L, 'meanFrequency')}${sep}${f1(s.meanFrequency)}`,
      `${m(L, 'meanMonetary')}${sep}${formatValue(s.meanMonetary, 'currency-compact', L)}`,
      `${m(L, 'meanScores')}${sep}${[s.meanR, s.meanF, s.meanM].map(f1).join(' / ')}`,
    ];
  }
  if (typeof datum['r'] === 'number' && typeof datum['f'] === 'number' && typeof datum['n'] === 'number') {
    const lines = [
      `${m(L, 'rScore')} ${datum['r']} · ${m(L, 'fScore')} ${datum['f']}`,
      `${m(L, 'customers')}${sep}${formatValue(datum['n'] as number, 'count', L)}`,
    ];
    if (typeof datum['regionLabel'] === 'string')
      lines.push(`${m(L, 'segment')}${sep}${datum['regionLabel']}`);
    return lines;
  }
  return [];
}

/** A segment's colour square. */
export function swatch(color: string): TemplateResult {
  return html`<svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true" focusable="false">
    ${svg`<rect width="10" height="10" rx="2" fill=${color}></rect>`}
  </svg>`;
}

/** Per-segment table with a select button per row (display `table` and the data-table view). */
export function renderSegmentTable(
  r: MetricResult,
  model: RfmModel,
  t: TableModel,
  colors: Record<string, string>,
  sel: string[] | null,
  opts: { L: Locale; heading: string; regionLabel: string; onSelect: (id: string) => void },
): TemplateResult {
  const { L, heading, regionLabel, onSelect } = opts;
  return html`<div part="table" tabindex="0" role="region" aria-label=${regionLabel}>
    <table class=${L === 'zh-CN' ? 'zh' : ''}>
      <caption class="sr-only">
        ${heading || pick(r.basis.title, L)}
      </caption>
      <thead>
        <tr>
          ${t.columns.map((c) => html`<th scope="col" class=${c.numeric ? 'num' : ''}>${c.label}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${model.segments.map((s, i) => {
          const on = !!sel?.includes(s.id);
          const cells = t.rows[i]!;
          return html`<tr class=${sel && !on ? 'dim' : ''}>
            <th scope="row">
              <button
                part="select"
                aria-pressed=${on ? 'true' : 'false'}
                title=${m(L, 'select', { label: s.label })}
                @click=${() => onSelect(s.id)}
              >
                ${swatch(colors[s.id] ?? '#888888')}<span>${s.label}</span>
              </button>
            </th>
            ${cells.slice(1).map((c) => html`<td class="num">${cellText(c)}</td>`)}
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}

/** The customer list of the selected segment(s). */
export function renderCustomerList(
  model: RfmModel,
  list: CustomerList | null,
  sel: string[] | null,
  listLimit: number,
  selectionLabel: string,
  L: Locale,
): TemplateResult | typeof nothing {
  if (!sel || !list || list.key !== sel.join(',') || !(listLimit > 0)) return nothing;
  const segs = sel.map((id) => model.segments.find((s) => s.id === id)).filter((s): s is RfmSegment => !!s);
  const name = selectionLabel || segs.map((s) => s.label).join(' + ');
  const head = html`<div class="head">
    <strong
      >${m(L, 'listTitle', { segment: name, total: formatValue(list.state === 'ok' ? list.total : segs.reduce((a, s) => a + s.customers, 0), 'count', L) })}</strong
    >
    ${list.state === 'ok' && list.total > list.rows.length ? html`<span class="muted">${m(L, 'listShowing', { n: formatValue(list.rows.length, 'count', L) })}</span>` : nothing}
  </div>`;
  let body: TemplateResult;
  if (list.state === 'loading') body = html`<div class="muted" role="status">${m(L, 'listLoading')}</div>`;
  else if (list.state === 'none') body = html`<div class="muted">${m(L, 'listNoEngine')}</div>`;
  else if (list.state === 'error')
    body = html`<div role="alert">
      <strong>${m(L, 'listError')}</strong> <span class="muted">${list.message ?? ''}</span>
    </div>`;
  else if (!list.rows.length) body = html`<div class="muted">${m(L, 'listEmpty')}</div>`;
  else {
    const withName = list.rows.some((c) => typeof c.name === 'string' && c.name);
    const withSeg = sel.length > 1;
    const labelOf = (id: string): string => model.segments.find((s) => s.id === id)?.label ?? id;
    body = html`<div
      class="scroll"
      tabindex="0"
      role="region"
      aria-label=${m(L, 'listCaption', { segment: name })}
    >
      <table class=${L === 'zh-CN' ? 'zh' : ''}>
        <caption class="sr-only">
          ${m(L, 'listCaption', { segment: name })}
        </caption>
        <thead>
          <tr>
            <th scope="col">${m(L, 'colCustomer')}</th>
            ${withName ? html`<th scope="col">${m(L, 'colName')}</th>` : nothing}
            ${withSeg ? html`<th scope="col">${m(L, 'colSegment')}</th>` : nothing}
            <th scope="col" class="num">${m(L, 'colRecency')}</th>
            <th scope="col" class="num">${m(L, 'colFrequency')}</th>
            <th scope="col" class="num">
              ${m(L, model.monetaryMode === 'mean' ? 'monetaryMean' : 'colMonetary')}
            </th>
            <th scope="col" class="num">${m(L, 'colScore')}</th>
          </tr>
        </thead>
        <tbody>
          ${list.rows.map(
            (c) =>
              html`<tr>
                <td class="id">${String(c.customer_id)}</td>
                ${withName ? html`<td>${typeof c.name === 'string' ? c.name : ''}</td>` : nothing}
                ${withSeg ? html`<td>${labelOf(c.segment)}</td>` : nothing}
                <td class="num">${formatValue(c.r, 'count', L)}</td>
                <td class="num">${formatValue(c.f, 'count', L)}</td>
                <td class="num">${formatValue(c.m, 'currency-compact', L)}</td>
                <td class="num">${`${c.R}-${c.F}-${c.M}`}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
  return html`<section
    part="customers"
    aria-label=${name}
    aria-busy=${list.state === 'loading' ? 'true' : 'false'}
  >
    ${head}${body}
  </section>`;
}

/** Per-segment table model (table view and CSV). */
export function rfmTableModel(model: RfmModel, L: Locale): TableModel {
  const f1 = (v: number | null): string => formatValue(v, 'number', L, 1);
  return {
    columns: [
      { key: 'segment', label: m(L, 'segment') },
      { key: 'customers', label: m(L, 'customers'), numeric: true },
      { key: 'share', label: m(L, 'share'), numeric: true },
      {
        key: 'monetary',
        label: m(L, 'cny', {
          label: m(L, model.monetaryMode === 'mean' ? 'monetaryMean' : 'monetary'),
        }),
        numeric: true,
      },
      { key: 'monetaryShare', label: m(L, 'monetaryShare'), numeric: true },
      { key: 'meanRecencyDays', label: m(L, 'meanRecencyDays'), numeric: true },
      { key: 'meanFrequency', label: m(L, 'meanFrequency'), numeric: true },
      { key: 'meanMonetary', label: m(L, 'cny', { label: m(L, 'meanMonetary') }), numeric: true },
    ],
    rows: model.segments.map((s) => {
      const tx = segmentTexts(s, L);
      return [
        { text: s.label, raw: s.label },
        { text: tx.customers, raw: s.customers },
        { text: tx.share, raw: s.share },
        // Amounts without the currency sign: the column header carries the unit.
        { text: formatValue(s.monetary, 'compact', L), raw: s.monetary },
        { text: tx.monetaryShare, raw: s.monetaryShare === null ? null : round6(s.monetaryShare) },
        { text: f1(s.meanRecencyDays), raw: s.meanRecencyDays === null ? null : round6(s.meanRecencyDays) },
        { text: f1(s.meanFrequency), raw: s.meanFrequency === null ? null : round6(s.meanFrequency) },
        {
          text: formatValue(s.meanMonetary, 'compact', L),
          raw: s.meanMonetary === null ? null : round6(s.meanMonetary),
        },
      ];
    }),
  };
}

/** The text alternative. */
export function rfmSummary(r: MetricResult, model: RfmModel, L: Locale, heading: string): string {
  const segs = model.segments;
  if (!segs.length) return '';
  const top = segs.reduce((a, b) => (b.customers > a.customers ? b : a));
  const topM = segs.reduce((a, b) => (b.monetary > a.monetary ? b : a));
  return m(L, 'summary', {
    title: heading || pick(r.basis.title, L),
    n: formatValue(model.scored, 'count', L),
    k: segs.length,
    top: top.label,
    topN: formatValue(top.customers, 'count', L),
    topShare: formatShare(top.share, L),
    topM: topM.label,
    topMShare: formatShare(topM.monetaryShare, L),
  });
}

/** Customers by R, F, M score descending, then M, then id (the metric's order, for merged lists). */
export function sortCustomers(rows: RfmCustomerRow[]): RfmCustomerRow[] {
  return rows
    .slice()
    .sort(
      (a, b) =>
        b.R - a.R ||
        b.F - a.F ||
        b.M - a.M ||
        b.m - a.m ||
        (String(a.customer_id) < String(b.customer_id)
          ? -1
          : String(a.customer_id) > String(b.customer_id)
            ? 1
            : 0),
    );
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

export function cellText(c: TableModel['rows'][number][number]): string {
  if (c === null || c === undefined) return '—';
  if (typeof c === 'object') return c.text;
  return String(c);
}

/**
 * The `fin-select` clause and label of selecting `segs`: one segment (`eq`, its name), or several
 * (`in`) labelled as the cn8 quadrant they make up ("重要 + 一般 …") or their names joined.
 */
export function segmentSelection(segs: RfmSegment[], L: Locale): { clause: FilterClause; label: string } {
  const picked = segs.map((s) => s.id);
  if (picked.length === 1)
    return { clause: { field: RFM_SEGMENT_FIELD, op: 'eq', value: picked[0]! }, label: segs[0]!.label };
  const q = cn8Quadrant(picked[0]!);
  const pair = q && picked.every((id) => cn8Quadrant(id) === q);
  const m = (key: string, vars?: Record<string, string>): string => msg(L, key, vars, RFM_AREA);
  const label = pair ? m('quadrantBoth', { name: m(`quadrant.${q}`) }) : segs.map((s) => s.label).join(' + ');
  return { clause: { field: RFM_SEGMENT_FIELD, op: 'in', value: picked }, label };
}
