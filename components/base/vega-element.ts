import { html } from 'lit';
import type { nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import type { View } from 'vega';
import type { MetricResult } from '../../src/engine/types.js';
import { vegaConfig } from '../../src/theme/tokens.js';
import { FinElement } from './fin-element.js';
import { canvasToPng, xmlSafe } from './export.js';
import { addWatermarkToSvgText } from './watermark.js';
import { loadVega, mountVega } from './vega.js';
import type { VlSpec } from './vega.js';


/**
 * Base for elements drawn with Vega-Lite: builds a spec from the result (pure, in src/specs),
 * mounts it through the View API in interpreter mode, shows a text-only tooltip, reports clicks
 * on marks, and finalizes the view on every re-render and on disconnect.
 */
export abstract class VegaElement<P extends object = Record<string, unknown>> extends FinElement<P> {
  /** The live Vega view (for tests and exports). */
  view_: View | null = null;
  private mountSeq = 0;
  private lastSpecKey = '';
  private mounting: Promise<View | null> = Promise.resolve(null);

  /** Build the Vega-Lite spec for a result at a width (null: not yet — re-render when it can be built). */
  protected abstract spec(r: MetricResult, width: number): VlSpec | null;
  /** Called with the datum of a clicked mark. */
  protected onMarkClick(_datum: Record<string, unknown>): void {}
  /** Tooltip lines for a datum (plain text). */
  protected tooltipLines(_datum: Record<string, unknown>): string[] {
    return [];
  }
  /** Approximate number of marks (renderer choice). */
  protected markCount(r: MetricResult): number {
    return r.data.length;
  }

  protected override renderChart(_r: MetricResult): TemplateResult | typeof nothing {
    return html`<div class="plot" role="img" aria-label=${this.summaryFor()}></div>
      <div part="tooltip" hidden></div>`;
  }

  private summaryFor(): string {
    try {
      return this.current ? this.summary(this.current) : '';
    } catch {
      return '';
    }
  }

  /**
   * Drawn when there is no Vega plot in the template (a subclass's other display), or when the
   * view of the current spec has run and its SVG/canvas is in the DOM.
   */
  /**
   * Settles when the latest view mount has run (with the view), was superseded or failed (with
   * null). A re-mount without a new answer (resize, display switch) replaces it; await it again
   * while it changes. For tests and exports; hosts listen for `fin-render`.
   */
  get viewReady(): Promise<View | null> {
    return this.mounting;
  }

  protected override isDrawn(): boolean {
    const plot = this.renderRoot.querySelector<HTMLElement>('[part=chart] .plot');
    if (!plot) return true;
    return this.view_ !== null && plot.querySelector(':scope > svg, :scope > canvas') !== null;
  }

  protected override updated(changed: PropertyValues): void {
    // Mount first, then let the base check the paint: a view being replaced is already gone.
    this.mount();
    super.updated(changed);
  }

  private mount(): void {
    const plot = this.renderRoot.querySelector<HTMLElement>('[part=chart] .plot');
    if (!plot || !this.current || (this.state !== 'ok' && this.state !== 'partial')) {
      this.finalizeView();
      return;
    }
    const width = Math.max(160, Math.floor(plot.clientWidth || this.size.value?.width || 480));
    let spec: VlSpec | null;
    try {
      spec = this.spec(this.current, width);
    } catch (e) {
      this.fail('render_failed', e instanceof Error ? e.message : String(e));
      return;
    }
    if (!spec) return;
    // Vega replaces the container's role/label with "Vega visualization": give it our summary
    // as the spec description, and keep internal field names out of per-mark aria labels.
    spec = { description: this.summaryFor(), ...spec };
    const cfg = this.themeConfig();
    const key = JSON.stringify([spec, cfg]);
    if (key === this.lastSpecKey && this.view_ && plot.childElementCount > 0) return;
    this.lastSpecKey = key;
    const my = ++this.mountSeq;
    this.finalizeView();
    const marks = this.markCount(this.current);
    this.mounting = mountVega(plot, spec, { config: cfg, marks, tooltip: (ev, item, value) => this.showTooltip(ev, item, value) })
      .then((view) => {
        if (my !== this.mountSeq || !this.isConnected) {
          view.finalize();
          return null;
        }
        this.view_ = view;
        view.addEventListener('click', (_e, item) => {
          const d = (item as { datum?: Record<string, unknown> } | null | undefined)?.datum;
          if (d) this.onMarkClick(d);
        });
        this.checkPaint();
        return view;
      })
      .catch((e: unknown) => {
        if (my === this.mountSeq) this.fail('render_failed', e instanceof Error ? e.message : String(e));
        return null;
      });
  }

  private themeConfig(): Record<string, unknown> {
    const cs = getComputedStyle(this);
    const v = (n: string, d: string): string => cs.getPropertyValue(n).trim() || d;
    return vegaConfig({
      fg: v('--_color-fg', '#111827'),
      muted: v('--_color-muted', '#4b5563'),
      border: v('--_color-border', '#d9dee5'),
      bg: v('--_color-bg', '#ffffff'),
      font: v('--_font-family', 'sans-serif'),
      categorical: v('--_scheme-categorical', 'tableau10'),
    });
  }

  private showTooltip(ev: MouseEvent, item: unknown, value: unknown): void {
    const tip = this.renderRoot.querySelector<HTMLElement>('[part=tooltip]');
    const chart = this.renderRoot.querySelector<HTMLElement>('[part=chart]');
    if (!tip || !chart) return;
    const d = (item as { datum?: Record<string, unknown> } | null)?.datum;
    if (value === null || value === undefined || !d) {
      tip.hidden = true;
      return;
    }
    const lines = this.tooltipLines(d);
    if (!lines.length) {
      tip.hidden = true;
      return;
    }
    tip.textContent = lines.join('\n');
    const box = chart.getBoundingClientRect();
    tip.style.left = `${Math.min(ev.clientX - box.left + 12, Math.max(0, box.width - 200))}px`;
    tip.style.top = `${ev.clientY - box.top + 12}px`;
    tip.hidden = false;
  }

  private finalizeView(): void {
    if (this.view_) {
      this.view_.finalize();
      this.view_ = null;
    }
    this.lastSpecKey = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Fetch and parse the Vega chunk while the query runs (a no-op once loaded).
    loadVega().catch(() => {});
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.mountSeq++;
    this.finalizeView();
  }

  /** The View's SVG, with the watermark drawn over it. */
  override async svg(): Promise<string | null> {
    const view = this.view_;
    if (!view) return super.svg();
    const text = xmlSafe(await view.toSVG());
    const wm = this.exportWatermark();
    if (!wm) return text;
    const size = /^<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"/.exec(text);
    const box = this.renderRoot.querySelector('[part=chart] .plot')?.getBoundingClientRect();
    const width = size ? Number(size[1]) : box?.width || 300;
    const height = size ? Number(size[2]) : box?.height || 150;
    return addWatermarkToSvgText(text, wm.text, width, height, wm.dark);
  }

  /** The View's canvas at 2×, with the watermark drawn over it. */
  override async png(): Promise<Blob | null> {
    const view = this.view_;
    if (!view) return super.png();
    return canvasToPng(await view.toCanvas(2), 2, this.exportWatermark());
  }
}
