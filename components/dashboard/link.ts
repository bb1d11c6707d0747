import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';

/**
 * Links independently embedded elements (e.g. a React-rendered KPI card and a plain-HTML heatmap)
 * through DOM events only: every Finboard element inside it joins `group`. Elements elsewhere on
 * the page join the same group with their own `group` attribute.
 *
 * @summary Link group for independently embedded widgets.
 * @tag fin-link
 * @slot - Finboard elements to link.
 */
export class FinLink extends LitElement {
  /** Group name shared by the linked elements. */
  @property({ reflect: true }) group = 'default';

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.assign();
    new MutationObserver(() => this.assign()).observe(this, { childList: true, subtree: true });
  }

  protected override updated(): void {
    this.assign();
  }

  private assign(): void {
    for (const el of this.querySelectorAll<HTMLElement & { group?: string }>('*')) {
      if (el.localName.startsWith('fin-') && 'group' in el && !el.getAttribute('group')) el.group = this.group;
    }
  }
}
