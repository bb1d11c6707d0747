import { css, html, LitElement } from 'lit';
import type { TemplateResult } from 'lit';
import { safeStyle } from '../base/safe-style.js';
import { property } from 'lit/decorators.js';

/**
 * A responsive strip of KPI cards: as many columns as fit at `min-card-width`, wrapping below.
 *
 * @summary Responsive strip of KPI cards.
 * @tag fin-kpi-group
 * @slot - `fin-kpi-card` elements.
 * @cssproperty --fin-kpi-group-gap - Gap between cards (default 12px).
 * @csspart base - The grid.
 */
export class FinKpiGroup extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    [part='base'] {
      display: grid;
      gap: var(--fin-kpi-group-gap, 12px);
      grid-template-columns: repeat(auto-fit, minmax(var(--_min), 1fr));
    }
  `;
  /** Smallest card width before wrapping, CSS length. */
  @property({ attribute: 'min-card-width' }) minCardWidth = '180px';
  /** Accessible name of the group. */
  @property() label = '';

  override render(): TemplateResult {
    return html`<div part="base" role="group" aria-label=${this.label || 'KPI'} style=${safeStyle({ '--_min': this.minCardWidth })}><slot></slot></div>`;
  }
}
