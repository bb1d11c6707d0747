import { noChange } from 'lit';
import type { AttributePart } from 'lit';
import { Directive, directive, PartType } from 'lit/directive.js';
import type { DirectiveResult, PartInfo } from 'lit/directive.js';

type StyleInfo = Record<string, string | number | null | undefined>;

/**
 * `style=${safeStyle({ width: '40%', '--_min': '180px' })}`: like Lit's styleMap, but it never
 * writes the `style` attribute (styleMap does on first render), only CSSOM properties — which a
 * strict `style-src 'self'` Content-Security-Policy allows.
 */
class SafeStyleDirective extends Directive {
  private prev = new Set<string>();
  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ATTRIBUTE || info.name !== 'style') {
      throw new Error('safeStyle can only be used in the style attribute');
    }
  }
  render(_styles: StyleInfo): typeof noChange {
    return noChange;
  }
  override update(part: AttributePart, [styles]: [StyleInfo]): typeof noChange {
    const style = (part.element as HTMLElement).style;
    for (const name of this.prev) {
      if (styles[name] === undefined || styles[name] === null) {
        if (name.includes('-')) style.removeProperty(name);
        else (style as unknown as Record<string, string>)[name] = '';
      }
    }
    this.prev = new Set();
    for (const [name, value] of Object.entries(styles)) {
      if (value === undefined || value === null) continue;
      this.prev.add(name);
      const v = String(value);
      if (name.startsWith('--') || name.includes('-')) style.setProperty(name, v);
      else (style as unknown as Record<string, string>)[name] = v;
    }
    return noChange;
  }
}

// Annotated so the published .d.ts names lit (a dependency), not lit-html (lit's own dependency).
export const safeStyle: (styles: StyleInfo) => DirectiveResult<typeof SafeStyleDirective> = directive(SafeStyleDirective);
