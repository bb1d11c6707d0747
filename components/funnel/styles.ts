import { css } from 'lit';

/** Styles of `<fin-funnel>` (after the base styles). */
export const funnelStyles = css`
  :host {
    --_bar: var(--fin-funnel-bar-color, var(--_color-accent));
    --_connector-opacity: var(--fin-funnel-connector-opacity, 0.16);
    min-width: 0;
  }
  .wrap {
    position: relative;
    width: 100%;
    min-width: 0;
  }
  svg[part='funnel'] {
    display: block;
    overflow: visible;
    font-family: var(--_font-family);
  }
  .stage {
    cursor: pointer;
    outline: none;
  }
  .stage .hit {
    fill: transparent;
    stroke: none;
  }
  /* Translucent, so the drop-off trapezoids under a highlighted column stay visible. */
  .stage:hover .hit,
  .selected .hit {
    fill: var(--_color-fg);
    fill-opacity: 0.05;
  }
  .stage:focus-visible .hit {
    stroke: var(--_color-focus);
    stroke-width: 2px;
  }
  [part~='bar'] {
    transition: opacity 120ms ease-out;
  }
  .stage [part~='bar'].single {
    fill: var(--_bar);
  }
  .dim [part~='bar'],
  .dim-c {
    opacity: 0.32;
  }
  .selected [part~='bar'] {
    stroke: var(--_color-fg);
    stroke-width: 2px;
  }
  .zero {
    stroke: var(--_color-border);
    stroke-width: 2px;
  }
  [part~='connector'] {
    fill: var(--_bar);
    opacity: var(--_connector-opacity);
  }
  text {
    fill: var(--_color-fg);
    font-variant-numeric: tabular-nums;
    /* Clicks go through the labels to the stage's hit area beneath. */
    pointer-events: none;
  }
  text.name {
    font-weight: 500;
  }
  text.count {
    font-weight: 650;
  }
  text.detail,
  text.connector {
    fill: var(--_color-muted);
  }
  text.sub {
    fill: var(--_color-fg);
  }
  [part='legend'] {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 14px;
    margin: 0 0 8px;
    padding: 0;
    list-style: none;
    font-size: 12px;
    color: var(--_color-muted);
  }
  [part='legend'] li {
    display: inline-flex;
    align-items: center;
    gap: 5px;
  }
  [part='legend'] .key {
    color: var(--_color-fg);
  }
  .grid {
    display: grid;
    gap: 12px;
  }
  [part='panel'] {
    min-width: 0;
    border: 1px solid var(--_color-border);
    border-radius: 6px;
    padding: 8px;
  }
  [part='panel'] h4 {
    display: flex;
    align-items: center;
    gap: 6px;
    margin: 0 0 6px;
    font-size: 13px;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  [part='panel'] h4 .muted {
    font-weight: 400;
    color: var(--_color-muted);
    font-size: 12px;
  }
  [part='cac'] {
    margin: 8px 0 0;
    font-size: 12px;
    color: var(--_color-muted);
    font-variant-numeric: tabular-nums;
  }
  [part='cac'] strong {
    color: var(--_color-fg);
    font-weight: 600;
  }
  .mode {
    font-size: 12px;
    color: var(--_color-muted);
    margin: 0 0 4px;
  }
  @media (prefers-reduced-motion: reduce) {
    [part~='bar'] {
      transition: none;
    }
  }
`;
