// The host portal's own Lit element: with finboard's Lit kept external, the page carries ONE Lit
// (the suite counts lit-html's version marker in the production bundle).
import { LitElement, css, html } from 'lit';

export class PortalBanner extends LitElement {
  static override properties = { heading: { type: String } };
  static override styles = css`
    :host {
      display: block;
      padding: 8px 0;
      border-bottom: 1px solid #ddd;
    }
  `;
  declare heading: string;
  constructor() {
    super();
    this.heading = '';
  }
  override render() {
    return html`<strong>${this.heading}</strong>`;
  }
}
customElements.define('portal-banner', PortalBanner);
