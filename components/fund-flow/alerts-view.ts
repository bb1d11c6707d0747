/**
 * The alerts display of `<fin-fund-flow>`: a sortable table of large and suspicious transaction
 * alerts with a count badge, per-rule filter chips (a select on narrow cards) and customer buttons.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { formatValue } from '../../src/format/number.js';
import type { Locale } from '../../src/format/number.js';
import { ALERT_SORT_KEYS, amount2, sortAlerts } from '../../src/specs/fund-flow.js';
import type { AlertSortKey, AlertView, AlertsModel } from '../../src/specs/fund-flow.js';
import { m } from '../../src/specs/fund-flow/shared.js';
import { FundFlowView } from './view.js';
import type { FundFlowHost, ViewContext } from './view.js';

/** An alert's date text: the day, or the first and last day of a structuring episode. */
export function alertDate(a: AlertView, locale: Locale): string {
  return a.firstDate && a.firstDate !== a.date
    ? m(locale, 'episode', { from: a.firstDate, to: a.date.slice(5) })
    : a.date;
}

/** What the alerts table reads from its element besides the common context. */
export interface AlertsContext extends ViewContext {
  /** The card heading (names the scrolling region). */
  heading(): string;
  /** Sort column and direction (the element's `sort-by` / `sort-direction`). */
  sort(): { by: AlertSortKey; dir: 'asc' | 'desc' };
  setSort(by: AlertSortKey, dir: 'asc' | 'desc'): void;
  /** The selected customer, when the element selected it. */
  selectedCustomer(): string | null;
  /** Select a customer (or clear, when it is the selected one). */
  selectCustomer(customer: string): void;
}

export class AlertsView extends FundFlowView {
  /** Rule chip in effect (local table filter), or null for all. */
  private ruleFilter: string | null = null;

  constructor(
    host: FundFlowHost,
    protected override readonly ctx: AlertsContext,
  ) {
    super(host, ctx);
  }

  private setRule(rule: string | null): void {
    if (rule === this.ruleFilter) return;
    this.ruleFilter = rule;
    this.host.requestUpdate();
  }

  /** Drop the rule filter when the new result (or display) has no alert of that rule. */
  keepRuleIn(am: AlertsModel | null): void {
    if (this.ruleFilter !== null && !am?.byRule.some((b) => b.rule === this.ruleFilter)) this.setRule(null);
  }

  private sortTo(key: AlertSortKey): void {
    const { by, dir } = this.ctx.sort();
    if (by === key) this.ctx.setSort(by, dir === 'asc' ? 'desc' : 'asc');
    else this.ctx.setSort(key, key === 'customer' || key === 'rule' ? 'asc' : 'desc');
  }

  /** The alerts table of a model: count badge, rule filter, sortable columns. */
  render(am: AlertsModel): TemplateResult {
    const L = this.lang_;
    const sort = this.ctx.sort();
    const key: AlertSortKey = ALERT_SORT_KEYS.includes(sort.by) ? sort.by : 'date';
    const dir = sort.dir === 'asc' ? 'asc' : 'desc';
    const rows = sortAlerts(
      this.ruleFilter === null ? am.rows : am.rows.filter((a) => a.rule === this.ruleFilter),
      key,
      dir,
    );
    // Narrow cards: three two-line columns (date / customer, rule / direction, amount / count)
    // instead of six, and the rule chips as one select.
    const narrow = this.width() < 470;
    const head = (k: AlertSortKey, label: string, numeric = false): TemplateResult => {
      const on = key === k;
      return html`<th
        scope="col"
        class=${numeric ? 'num' : ''}
        aria-sort=${on ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}
      >
        <button title=${this.m('sortBy', { col: label })} @click=${() => this.sortTo(k)}>
          <span>${label}</span
          ><span class="arrow" aria-hidden="true">${on ? (dir === 'asc' ? '▲' : '▼') : ''}</span>
        </button>
      </th>`;
    };
    const columns = narrow
      ? html`${head('date', this.m('date'))} ${head('rule', this.m('rule'))}
        ${head('amount', this.m('amount'), true)}`
      : html`${head('date', this.m('date'))} ${head('customer', this.m('customer'))}
          ${head('rule', this.m('rule'))}
          <th scope="col">${this.m('direction')}</th>
          ${head('amount', this.m('amountCny'), true)} ${head('count', this.m('countHead'), true)}`;
    return html`<div class="wrap">
      <div part="alerts-header">
        <span class="count">
          <span part="badge">${formatValue(am.total, 'count', L)}</span>
          <span>${this.m('alertsWord')}</span>
          ${
            am.total > am.rows.length
              ? html`<span class="muted"
                  >(${this.m('alertsShown', { n: formatValue(am.rows.length, 'count', L) })})</span
                >`
              : nothing
          }
        </span>
        ${narrow ? this.renderRuleSelect(am) : this.renderRuleChips(am)}
      </div>
      <div
        part="alerts"
        class=${narrow ? 'narrow' : ''}
        tabindex="0"
        role="region"
        aria-label=${this.ctx.heading() || this.m('titleAlerts')}
      >
        <table>
          ${
            narrow
              ? html`<colgroup>
                  <col class="c-date" />
                  <col class="c-rule" />
                  <col class="c-amount" />
                </colgroup>`
              : nothing
          }
          <thead>
            <tr>
              ${columns}
            </tr>
          </thead>
          <tbody>
            ${
              rows.length
                ? rows.map((a) => (narrow ? this.renderAlertRowNarrow(a) : this.renderAlertRow(a)))
                : html`<tr>
                    <td class="none" colspan=${narrow ? 3 : 6}>${this.m('noAlertsForRule')}</td>
                  </tr>`
            }
          </tbody>
        </table>
      </div>
    </div>`;
  }

  private renderRuleChips(am: AlertsModel): TemplateResult {
    const L = this.lang_;
    return html`<span class="chips" role="group" aria-label=${this.m('ruleFilter')}>
      <button
        part="rule-chip"
        aria-pressed=${this.ruleFilter === null ? 'true' : 'false'}
        @click=${() => this.setRule(null)}
      >
        ${this.m('allRules')}<span class="n">${formatValue(am.rows.length, 'count', L)}</span>
      </button>
      ${am.byRule.map(
        (b) =>
          html`<button
            part="rule-chip"
            aria-pressed=${this.ruleFilter === b.rule ? 'true' : 'false'}
            @click=${() => this.setRule(this.ruleFilter === b.rule ? null : b.rule)}
          >
            ${b.label}<span class="n">${formatValue(b.n, 'count', L)}</span>
          </button>`,
      )}
    </span>`;
  }

  private renderRuleSelect(am: AlertsModel): TemplateResult {
    const L = this.lang_;
    return html`<select
      part="rule-select"
      aria-label=${this.m('ruleFilter')}
      @change=${(e: Event) => {
        const v = (e.target as HTMLSelectElement).value;
        this.setRule(v === '' ? null : v);
      }}
    >
      <option value="" ?selected=${this.ruleFilter === null}>
        ${this.m('allRules')} (${formatValue(am.rows.length, 'count', L)})
      </option>
      ${am.byRule.map(
        (b) =>
          html`<option value=${b.rule} ?selected=${this.ruleFilter === b.rule}>
            ${b.label} (${formatValue(b.n, 'count', L)})
          </option>`,
      )}
    </select>`;
  }

  /** Date cell: the day; a structuring episode shows its first day under the last. */
  private dateCell(a: AlertView): TemplateResult {
    return a.firstDate && a.firstDate !== a.date
      ? html`<span class="line">${a.date}</span>
          <span class="sub line">${this.m('since', { d: a.firstDate.slice(5) })}</span>`
      : html`<span class="line">${a.date}</span>`;
  }

  private alertRuleTitle(a: AlertView): string {
    const L = this.lang_;
    const parts = [a.ruleLabel];
    if (a.threshold !== null)
      parts.push(`${this.m('threshold')} ${formatValue(a.threshold, 'currency', L, 0)}`);
    if (a.txnIds.length) parts.push(`${this.m('txnIds')}: ${a.txnIds.join(', ')}`);
    return parts.join('\n');
  }

  private ruleSub(a: AlertView): string {
    return a.single === true
      ? this.m('single')
      : a.single === false && a.rule !== 'structuring'
        ? this.m('daily')
        : '';
  }

  private dirText(a: AlertView): string {
    return a.direction === 'in' ? this.m('dirIn') : a.direction === 'out' ? this.m('dirOut') : '—';
  }

  private customerButton(a: AlertView): TemplateResult {
    return html`<button
      class="link"
      aria-pressed=${this.ctx.selectedCustomer() === a.customer ? 'true' : 'false'}
      title=${this.m('selectCustomer', { c: a.customer })}
      @click=${() => this.ctx.selectCustomer(a.customer)}
    >
      ${a.customer}
    </button>`;
  }

  private renderAlertRow(a: AlertView): TemplateResult {
    const L = this.lang_;
    const sub = this.ruleSub(a);
    return html`<tr>
      <td>${this.dateCell(a)}</td>
      <td>${this.customerButton(a)}</td>
      <td class="rule" title=${this.alertRuleTitle(a)}>
        ${a.ruleLabel}${sub ? html` <span class="sub">${sub}</span>` : nothing}
      </td>
      <td>${this.dirText(a)}</td>
      <td class="num">${amount2(a.amount, L)}</td>
      <td class="num">${formatValue(a.count, 'count', L)}</td>
    </tr>`;
  }

  private renderAlertRowNarrow(a: AlertView): TemplateResult {
    const L = this.lang_;
    const sub = [a.direction ? this.dirText(a) : '', this.ruleSub(a)].filter(Boolean).join(' · ');
    return html`<tr>
      <td>${this.dateCell(a)}<span class="line">${this.customerButton(a)}</span></td>
      <td class="rule" title=${this.alertRuleTitle(a)}>
        <span class="line">${a.ruleLabel}</span>${sub ? html`<span class="sub line">${sub}</span>` : nothing}
      </td>
      <td class="num">
        <span class="line">${amount2(a.amount, L)}</span
        ><span class="sub line">${this.m('countShort', { n: formatValue(a.count, 'count', L) })}</span>
      </td>
    </tr>`;
  }
}
