/**
 * Proves the browser runner itself: TypeScript compiles, bare imports resolve, Chromium runs custom
 * elements with shadow DOM, and a CJK font is installed (without one, Chinese renders as tofu boxes
 * and every label assertion in the element suites would be testing boxes). Uses no project code.
 */
import { expect } from '@open-wc/testing';

// Mocha's globals, typed locally: @types/mocha is not a devDependency (tsconfig "types": ["node"]).
declare function describe(title: string, fn: () => void): void;
declare function it(title: string, fn: () => void | Promise<void>): void;

class SmokeGreeting extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
  }

  connectedCallback(): void {
    const p = document.createElement('p');
    p.textContent = `你好，${this.getAttribute('name') ?? '世界'}`;
    this.shadowRoot!.replaceChildren(p);
  }
}

if (!customElements.get('smoke-greeting')) customElements.define('smoke-greeting', SmokeGreeting);

describe('browser test runner', () => {
  it('runs a custom element with shadow DOM', () => {
    const el = document.createElement('smoke-greeting');
    el.setAttribute('name', '催收');
    document.body.append(el);
    try {
      expect(el).to.be.instanceOf(SmokeGreeting);
      expect(el.shadowRoot?.textContent).to.equal('你好，催收');
    } finally {
      el.remove();
    }
  });

  it('has a CJK font: Chinese glyphs are full-width, not tofu boxes', () => {
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = '20px sans-serif';
    const cjk = ctx.measureText('资金流向').width;
    // U+10FFFD is a private-use noncharacter no font covers: it always draws as the missing-glyph box.
    const tofu = ctx.measureText('\u{10FFFD}'.repeat(4)).width;
    expect(cjk).to.be.greaterThan(0);
    expect(cjk).to.not.equal(tofu);
    // CJK fonts draw ideographs on a 1em square: 4 glyphs at 20px ≈ 80px.
    expect(cjk / 4).to.be.closeTo(20, 2);
  });
});
