import { css, html, LitElement } from 'lit';
import type { TemplateResult } from 'lit';
import manifest from '../../custom-elements.json';
import { TOKENS } from '../../src/theme/tokens.js';

interface CssProp {
  tag: string;
  name: string;
  description: string;
}

/** Per-element custom properties (`--fin-<element>-*`) as the elements document them (custom-elements.json). */
function elementProps(): CssProp[] {
  const out: CssProp[] = [];
  const global = new Set(TOKENS.map((t) => t.name));
  const modules = (manifest as unknown as { modules?: Array<{ declarations?: Array<{ tagName?: string; cssProperties?: Array<{ name: string; description?: string }> }> }> }).modules ?? [];
  for (const m of modules)
    for (const d of m.declarations ?? [])
      for (const p of d.tagName ? (d.cssProperties ?? []) : [])
        if (!global.has(p.name)) out.push({ tag: d.tagName!, name: p.name, description: p.description ?? '' });
  return out.sort((a, b) => a.tag.localeCompare(b.tag) || a.name.localeCompare(b.name));
}

const isColour = (v: string): boolean => /^#[0-9a-f]{3,8}$/i.test(v) || /^rgba?\(/.test(v);

/**
 * Story-only element: every public `--fin-*` design token (src/theme/tokens.ts) with its
 * description and its light and dark defaults; colours get a swatch. Text only; the swatch
 * colours are the constant defaults of TOKENS, never data.
 */
export class FinStoryTokens extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font: 14px/1.5 system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif;
      color: #1f2937;
    }
    table {
      border-collapse: collapse;
      width: 100%;
    }
    th,
    td {
      border: 1px solid #d9dee5;
      padding: 4px 8px;
      text-align: start;
      vertical-align: top;
    }
    thead th {
      background: #f8fafc;
    }
    code {
      font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace;
      overflow-wrap: anywhere;
    }
    th code {
      white-space: nowrap;
    }
    caption {
      text-align: start;
      font-weight: 600;
      padding: 0 0 6px;
    }
    table + table {
      margin-top: 24px;
    }
    .sw {
      display: inline-block;
      width: 14px;
      height: 14px;
      border-radius: 3px;
      border: 1px solid #8a94a3;
      vertical-align: -2px;
      margin-inline-end: 6px;
    }
  `;

  private value(v: string): TemplateResult {
    return html`${isColour(v) ? html`<span class="sw" aria-hidden="true" style=${`background:${v}`}></span>` : ''}<code>${v}</code>`;
  }

  override render(): TemplateResult {
    const own = elementProps();
    return html`<table>
      <caption>Global tokens (${TOKENS.length}) · <code>--fin-*</code></caption>
      <thead>
        <tr><th scope="col">Token</th><th scope="col">Description</th><th scope="col">Light default</th><th scope="col">Dark default</th></tr>
      </thead>
      <tbody>
        ${TOKENS.map(
          (t) => html`<tr>
            <th scope="row"><code>${t.name}</code></th>
            <td>${t.description}</td>
            <td>${this.value(t.light)}</td>
            <td>${this.value(t.dark)}</td>
          </tr>`,
        )}
      </tbody>
    </table>
    <table>
      <caption>Per-element properties (${own.length}) · <code>--fin-&lt;element&gt;-*</code></caption>
      <thead>
        <tr><th scope="col">Property</th><th scope="col">Element</th><th scope="col">Description</th></tr>
      </thead>
      <tbody>
        ${own.map((p) => html`<tr><th scope="row"><code>${p.name}</code></th><td><code>&lt;${p.tag}&gt;</code></td><td>${p.description}</td></tr>`)}
      </tbody>
    </table>`;
  }
}

/**
 * Register `<fin-story-tokens>`. A function, not a module side effect: stories/ is not in package.json
 * "sideEffects", so a bare `import './tokens-table.js'` would be tree-shaken out of the build.
 */
export function defineStoryTokens(): void {
  if (!customElements.get('fin-story-tokens')) customElements.define('fin-story-tokens', FinStoryTokens);
}
