import { css } from 'lit';

/** Styles of `<fin-heatmap>` (after the base styles). */
export const heatmapStyles = css`
  :host {
    --_null-fill: var(--fin-heatmap-null-fill, var(--_color-surface));
    --_null-stroke: var(--fin-heatmap-null-stroke, #a3acb9);
    min-width: 200px;
  }
  :host([theme='dark']) {
    --_null-stroke: var(--fin-heatmap-null-stroke, #5b6473);
  }
  /* Narrow cards: the tools wrap under the title instead of squeezing it letter by letter. */
  [part='header'] {
    flex-wrap: wrap;
  }
  [part='title'] {
    flex: 1 1 10em;
    min-width: 0;
    overflow-wrap: break-word;
  }
  .plot {
    width: 100%;
    min-height: 60px;
  }
  .plot svg,
  .plot canvas {
    display: block;
  }
  [part='select'] {
    font-size: 12px;
    color: var(--_color-accent);
    border-color: transparent;
    padding: 0 4px;
    min-height: 22px;
    text-align: start;
  }
  [part='select'][aria-pressed='true'] {
    color: var(--_color-accent);
    border-color: var(--_color-accent);
    font-weight: 600;
  }
  tr.dim td {
    color: var(--_color-muted);
  }
`;
