import { css, html, LitElement, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { metricIds } from '../../src/engine/metrics/index.js';
import type { Basis, LocalText, QueryRequest } from '../../src/engine/types.js';
import { DEFAULT_CUSTOMERS, sampleEngine } from '../support.js';

/** The request that shows each metric's basis on the sample (most need nothing but the metric id). */
const REQUESTS: Record<string, Omit<QueryRequest, 'metric'>> = {
  heatmap: { source: 'collection_actions', params: { preset: 'contact-rate-weekday-hour' } },
  kpi: { source: 'loans', params: { measure: { agg: 'sum', field: 'principal' } } },
  distinct: { params: { field: 'region' } },
};

const AREAS: Array<{ title: LocalText; ids: string[] }> = [
  { title: { 'zh-CN': '通用指标', 'en-US': 'Generic metrics' }, ids: ['kpi', 'heatmap', 'funnel', 'cohort', 'rfm', 'churn', 'distinct'] },
  { title: { 'zh-CN': '资金流向', 'en-US': 'Fund flow' }, ids: ['fund_flow', 'sankey', 'txn_alerts'] },
  {
    title: { 'zh-CN': '催收', 'en-US': 'Collection' },
    ids: ['dpd_buckets', 'bucket_trend', 'overdue_rate', 'flow_rate', 'roll_rate', 'vintage', 'entry_rate', 'cure_rate', 'repayment_rate', 'collector_performance', 'channel_effectiveness'],
  },
];

interface Entry {
  id: string;
  basis?: Basis;
  error?: string;
}

/**
 * Story-only element: the basis (口径) of every metric of the engine, computed on the seeded
 * sample and shown in both locales — title, formula, numerator, denominator, options (defaults
 * filled in), exclusions and notes. Text only: every string is a text binding.
 */
export class FinStoryMetrics extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font: 14px/1.5 system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif;
      color: #1f2937;
    }
    h2 {
      font-size: 18px;
      margin: 24px 0 8px;
      border-bottom: 1px solid #d9dee5;
      padding-bottom: 4px;
    }
    section {
      margin: 0 0 20px;
    }
    h3 {
      font-size: 15px;
      margin: 12px 0 6px;
    }
    code {
      font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace;
      background: #f1f5f9;
      padding: 1px 4px;
      border-radius: 3px;
      overflow-wrap: anywhere;
    }
    table {
      border-collapse: collapse;
      width: 100%;
      table-layout: fixed;
    }
    th,
    td {
      border: 1px solid #d9dee5;
      padding: 4px 8px;
      text-align: start;
      vertical-align: top;
      overflow-wrap: anywhere;
    }
    thead th {
      background: #f8fafc;
    }
    th[scope='row'] {
      width: 9em;
      font-weight: 600;
      background: #f8fafc;
    }
    ul {
      margin: 0;
      padding-inline-start: 18px;
    }
    .muted {
      color: #4b5563;
    }
    .error {
      color: #b91c1c;
    }
  `;

  /** Sample size (customers) the bases are computed on. */
  @property({ type: Number }) customers = DEFAULT_CUSTOMERS;
  /** Only these metric ids (comma separated); empty = every metric. */
  @property() only = '';
  @state() private entries: Entry[] = [];
  @state() private loading = true;

  /** Whether every basis has been computed (for the story test). */
  get renderState(): 'loading' | 'ok' {
    return this.loading ? 'loading' : 'ok';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const engine = await sampleEngine(this.customers);
    const wanted = this.only ? this.only.split(',').map((s) => s.trim()) : metricIds();
    const out: Entry[] = [];
    for (const id of wanted) {
      try {
        const r = await engine.query({ metric: id, ...(REQUESTS[id] ?? {}) });
        out.push({ id, basis: r.basis });
      } catch (e) {
        out.push({ id, error: e instanceof Error ? e.message : String(e) });
      }
    }
    this.entries = out;
    this.loading = false;
  }

  private row(label: string, text: LocalText | undefined): TemplateResult | typeof nothing {
    if (!text) return nothing;
    return html`<tr><th scope="row">${label}</th><td lang="zh-CN">${text['zh-CN']}</td><td lang="en-US">${text['en-US']}</td></tr>`;
  }

  private list(label: string, items: LocalText[] | undefined): TemplateResult | typeof nothing {
    if (!items?.length) return nothing;
    return html`<tr>
      <th scope="row">${label}</th>
      <td lang="zh-CN"><ul>${items.map((i) => html`<li>${i['zh-CN']}</li>`)}</ul></td>
      <td lang="en-US"><ul>${items.map((i) => html`<li>${i['en-US']}</li>`)}</ul></td>
    </tr>`;
  }

  private metric(e: Entry): TemplateResult {
    const b = e.basis;
    if (!b) return html`<section aria-label=${e.id}><h3><code>${e.id}</code></h3><p class="error">${e.error ?? ''}</p></section>`;
    const opts = Object.entries(b.options ?? {}).filter(([k]) => k !== 'locale');
    return html`<section aria-label=${e.id}>
      <h3><code>${e.id}</code> ${b.title['zh-CN']} · ${b.title['en-US']}</h3>
      <table>
        <thead><tr><th scope="col">口径 / Basis</th><th scope="col">中文</th><th scope="col">English</th></tr></thead>
        <tbody>
          ${this.row('标题 Title', b.title)} ${this.row('公式 Formula', b.formula)} ${this.row('分子 Numerator', b.numerator)}
          ${this.row('分母 Denominator', b.denominator)} ${this.list('排除 Exclusions', b.exclusions)} ${this.list('说明 Notes', b.notes)}
          ${b.measure ? html`<tr><th scope="row">度量 Measure</th><td colspan="2"><code>${b.measure}</code>${b.variant ? html` · <code>${b.variant}</code>` : nothing}</td></tr>` : nothing}
          <tr>
            <th scope="row">选项 Options</th>
            <td colspan="2">
              ${opts.length
                ? opts.map(([k, v], i) => html`${i ? ' ' : ''}<code>${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}</code>`)
                : html`<span class="muted">—</span>`}
            </td>
          </tr>
        </tbody>
      </table>
    </section>`;
  }

  override render(): TemplateResult {
    if (this.loading) return html`<p role="status">正在计算各指标口径… / Computing each metric's basis…</p>`;
    const byId = new Map(this.entries.map((e) => [e.id, e]));
    const listed = new Set(AREAS.flatMap((a) => a.ids));
    const rest = this.entries.filter((e) => !listed.has(e.id));
    const areas = [...AREAS, ...(rest.length ? [{ title: { 'zh-CN': '其他', 'en-US': 'Other' }, ids: rest.map((e) => e.id) }] : [])];
    return html`${areas.map((a) => {
      const items = a.ids.map((id) => byId.get(id)).filter((e): e is Entry => !!e);
      return items.length ? html`<h2>${a.title['zh-CN']} · ${a.title['en-US']}</h2>${items.map((e) => this.metric(e))}` : nothing;
    })}`;
  }
}

/**
 * Register `<fin-story-metrics>`. A function, not a module side effect: stories/ is not in package.json
 * "sideEffects", so a bare `import './metrics-basis.js'` would be tree-shaken out of the build.
 */
export function defineStoryMetrics(): void {
  if (!customElements.get('fin-story-metrics')) customElements.define('fin-story-metrics', FinStoryMetrics);
}
