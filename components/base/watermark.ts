import { css, html, nothing, unsafeCSS } from 'lit';
import type { TemplateResult } from 'lit';
import type { Engine } from '../../src/engine/engine-types.js';

/**
 * The watermark (全局水印): the text a server policy gives each principal (name, id, time — see
 * `watermarkOf` in src/server/policy.ts), drawn by every element and `<fin-dashboard>` over their
 * views and into their exports. Text only: on screen an SVG `<text>` inside a `<pattern>` built with
 * Lit templates (the text is a text node, never markup, never inside a CSS string); in SVG exports
 * the same layer built with `createElementNS` + `textContent`; on canvases (PNG) `fillText`.
 */

/** Characters of the text drawn in a tile; the rest is shown as "…" (CSV headers carry it whole). */
export const WATERMARK_MAX_CHARS = 120;
/** Font size of the watermark text, px. */
const FONT_SIZE = 14;
const FONT = `${FONT_SIZE}px system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif`;
/** Rotation of the tiled text, degrees. */
const ANGLE = -24;
/** Opacity of the layer: default, and the floor and ceiling of `--fin-watermark-opacity`. */
const OPACITY = { value: 0.16, min: 0.08, max: 0.5 };
const COLOR = { light: '#4b5563', dark: '#d1d5db' };

/** The text as drawn: control characters and line breaks as spaces, at most WATERMARK_MAX_CHARS. */
export function watermarkShown(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  const chars = [...flat];
  return chars.length > WATERMARK_MAX_CHARS ? `${chars.slice(0, WATERMARK_MAX_CHARS - 1).join('')}…` : flat;
}

/** Tile of the pattern: two staggered copies of the text per tile (a brick layout). */
export function watermarkTile(shown: string): { w: number; h: number } {
  let em = 0;
  for (const ch of shown) em += (ch.codePointAt(0) ?? 0) >= 0x2e80 ? 1 : 0.6;
  const textW = Math.ceil(em * FONT_SIZE);
  return { w: Math.max(160, textW + 64), h: 7 * FONT_SIZE };
}

/**
 * Styles of the layer and of the frame it sits in. The frame is not a part: host CSS cannot
 * reach it or the layer. `all: initial` stops inherited properties of the host (color, fill,
 * visibility, font…) from changing the layer; custom properties still inherit, and the one it reads
 * is `--fin-watermark-opacity`, clamped to [0.08, 0.5].
 */
// Only the constants above go into the CSS (never the text, which is a text node of the layer).
export const watermarkStyles = css`
  .fin-frame {
    position: relative;
    isolation: isolate;
    height: 100%;
  }
  .fin-wm {
    all: initial;
    display: block;
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    z-index: 2147483647;
    overflow: hidden;
    pointer-events: none;
    user-select: none;
    opacity: clamp(${OPACITY.min}, var(--fin-watermark-opacity, ${OPACITY.value}), ${OPACITY.max});
  }
  .fin-wm text {
    all: initial;
    font: ${unsafeCSS(FONT)};
    fill: ${unsafeCSS(COLOR.light)};
  }
  :host([theme='dark']) .fin-wm text {
    fill: ${unsafeCSS(COLOR.dark)};
  }
`;

let patternSeq = 0;

/** A pattern id unique in the page (one per element instance). */
export function watermarkPatternId(): string {
  return `fin-wm-${++patternSeq}`;
}

/**
 * The on-screen layer: an SVG filling the frame with a rotated tiled pattern of the text,
 * `aria-hidden` (screen readers skip it), `pointer-events: none`. Nothing when `text` is null/empty.
 */
export function watermarkLayer(text: string | null, patternId: string): TemplateResult | typeof nothing {
  if (!text) return nothing;
  const shown = watermarkShown(text);
  if (!shown) return nothing;
  const { w, h } = watermarkTile(shown);
  return html`<svg class="fin-wm" aria-hidden="true" focusable="false" data-fin-watermark="">
    <defs>
      <pattern id=${patternId} patternUnits="userSpaceOnUse" width=${w} height=${h} patternTransform=${`rotate(${ANGLE})`}>
        <text x="8" y=${FONT_SIZE * 2}>${shown}</text>
        <text x=${8 - w / 2} y=${FONT_SIZE * 5.5}>${shown}</text>
        <text x=${8 + w / 2} y=${FONT_SIZE * 5.5}>${shown}</text>
      </pattern>
    </defs>
    <rect width="100%" height="100%" fill=${`url(#${patternId})`}></rect>
  </svg>`;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * The layer as SVG elements for an export of `width` × `height`: a `<g>` of rotated `<text>` rows
 * covering the picture (no pattern, no ids: it survives being pasted into other SVG). Text is set with
 * `textContent`.
 */
export function watermarkSvgGroup(doc: Document, text: string, width: number, height: number, dark = false): SVGGElement {
  const shown = watermarkShown(text);
  const g = doc.createElementNS(SVG_NS, 'g');
  g.setAttribute('data-fin-watermark', '');
  g.setAttribute('aria-hidden', 'true');
  g.setAttribute('pointer-events', 'none');
  g.setAttribute('opacity', String(OPACITY.value));
  g.setAttribute('fill', dark ? COLOR.dark : COLOR.light);
  g.setAttribute('font-size', String(FONT_SIZE));
  g.setAttribute('font-family', FONT.slice(FONT.indexOf(' ') + 1));
  for (const [x, y] of tilePositions(shown, width, height)) {
    const t = doc.createElementNS(SVG_NS, 'text');
    t.setAttribute('x', String(x));
    t.setAttribute('y', String(y));
    t.setAttribute('transform', `rotate(${ANGLE} ${x} ${y})`);
    t.textContent = shown;
    g.append(t);
  }
  return g;
}

/** Add the watermark to an SVG element (an export's clone) as its last child: drawn over everything. */
export function addWatermarkToSvg(svg: SVGSVGElement, text: string | null, dark = false): void {
  if (!text || !watermarkShown(text)) return;
  const { width, height } = svgSize(svg);
  svg.append(watermarkSvgGroup(svg.ownerDocument, text, width, height, dark));
}

/**
 * Add the watermark to SVG text (Vega's `toSVG()`): the layer is built as elements and serialised
 * with XMLSerializer (which escapes the text), then put before the closing `</svg>`.
 */
export function addWatermarkToSvgText(svgText: string, text: string | null, width: number, height: number, dark = false): string {
  if (!text || !watermarkShown(text)) return svgText;
  const end = svgText.lastIndexOf('</svg>');
  if (end < 0) return svgText;
  const g = watermarkSvgGroup(document, text, width, height, dark);
  g.setAttribute('xmlns', SVG_NS);
  const layer = new XMLSerializer().serializeToString(g).replace(/^<g xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, '<g');
  return svgText.slice(0, end) + layer + svgText.slice(end);
}

/** Draw the watermark on a 2D canvas context over a `width` × `height` picture (in the context's units). */
export function drawWatermark(g: CanvasRenderingContext2D, text: string | null, width: number, height: number, dark = false): void {
  if (!text) return;
  const shown = watermarkShown(text);
  if (!shown) return;
  g.save();
  g.globalAlpha = OPACITY.value;
  g.fillStyle = dark ? COLOR.dark : COLOR.light;
  g.font = FONT;
  g.textAlign = 'left';
  g.textBaseline = 'alphabetic';
  for (const [x, y] of tilePositions(shown, width, height)) {
    g.save();
    g.translate(x, y);
    g.rotate((ANGLE * Math.PI) / 180);
    g.fillText(shown, 0, 0);
    g.restore();
  }
  g.restore();
}

/** Where the rows of text start in a `width` × `height` picture: staggered rows covering it after rotation. */
export function tilePositions(shown: string, width: number, height: number): Array<[number, number]> {
  const { w, h } = watermarkTile(shown);
  const rowGap = h / 2;
  const out: Array<[number, number]> = [];
  // Rotated text climbs to the right: start rows below the picture and left of it so the corners are covered.
  const rise = Math.ceil(Math.abs(Math.tan((ANGLE * Math.PI) / 180)) * w);
  let row = 0;
  for (let y = FONT_SIZE * 2; y < height + rise + rowGap; y += rowGap, row++) {
    for (let x = (row % 2 ? -w / 2 : 0) + 8; x < width; x += w) {
      out.push([Math.round(x), Math.round(y)]);
      if (out.length >= 2000) return out;
    }
  }
  return out;
}

function svgSize(svg: SVGSVGElement): { width: number; height: number } {
  const w = Number.parseFloat(svg.getAttribute('width') ?? '');
  const h = Number.parseFloat(svg.getAttribute('height') ?? '');
  if (w > 0 && h > 0) return { width: w, height: h };
  const vb = svg.viewBox?.baseVal;
  if (vb && vb.width > 0 && vb.height > 0) return { width: vb.width, height: vb.height };
  const box = svg.getBoundingClientRect();
  return { width: box.width || 300, height: box.height || 150 };
}

const sessions = new WeakMap<Engine, Promise<string | null>>();

/**
 * The watermark the engine's server gives this caller (`engine.session()`), asked once per engine.
 * In-page and worker engines answer null. An engine without `session`, or a session call that fails
 * (a server older than the session op), means none; a failure is not cached, the next call asks again.
 */
export function sessionWatermark(engine: Engine | null | undefined): Promise<string | null> {
  if (!engine || typeof engine.session !== 'function') return Promise.resolve(null);
  let p = sessions.get(engine);
  if (!p) {
    p = engine.session().then(
      (s) => (typeof s?.watermark === 'string' && s.watermark ? s.watermark : null),
      () => {
        sessions.delete(engine);
        return null;
      },
    );
    sessions.set(engine, p);
  }
  return p;
}

/** CSV header line carrying the watermark (`# 水印: …` / `# Watermark: …`); none when off. */
export function watermarkCsvLine(text: string | null, locale: string): string[] {
  if (!text) return [];
  return [`${locale === 'zh-CN' ? '水印' : 'Watermark'}: ${text}`];
}
