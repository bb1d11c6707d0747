/**
 * Register a custom element once. Embedded widgets meet other copies of themselves (two bundles
 * on one portal page): a second registration of the same tag is skipped instead of throwing.
 */
export function define(tag: string, ctor: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, ctor);
}
