import { css } from 'lit';

/** Styles of `<fin-fund-flow>` (after the base styles): sankey marks, trend legend, alerts table, tooltip. */
export const fundFlowStyles = css`
  :host {
    --_link-opacity: var(--fin-fund-flow-link-opacity, 0.38);
    min-width: 0;
  }
  /* Narrow cards: the tools wrap under the title instead of squeezing it. */
  [part='header'] {
    flex-wrap: wrap;
  }
  [part='title'] {
    flex: 1 1 8em;
  }
  .wrap {
    position: relative;
    width: 100%;
    min-width: 0;
  }
  .pending {
    min-height: 120px;
    display: flex;
    align-items: center;
    justify-content: center;
    color: var(--_color-muted);
    font-size: 12px;
  }
  svg[part='sankey'] {
    display: block;
    overflow: visible;
    font-family: var(--_font-family);
  }
  [part~='link'] {
    fill: none;
    stroke-opacity: var(--_link-opacity);
    transition: stroke-opacity 120ms ease-out;
  }
  [part~='link'].hl {
    stroke-opacity: 0.7;
  }
  [part~='link'].dim {
    stroke-opacity: 0.1;
  }
  .node {
    cursor: pointer;
    outline: none;
  }
  .node.synthetic {
    cursor: default;
  }
  .node .hit {
    fill: transparent;
  }
  .node:focus-visible .hit {
    stroke: var(--_color-focus);
    stroke-width: 2px;
  }
  .node .bar {
    transition: opacity 120ms ease-out;
  }
  .node.out .bar {
    fill: var(--_color-muted);
  }
  .node.dim .bar {
    opacity: 0.35;
  }
  .node.selected .bar {
    stroke: var(--_color-fg);
    stroke-width: 2px;
  }
  text {
    font-variant-numeric: tabular-nums;
    pointer-events: none;
  }
  text.lbl,
  text.colhead {
    fill: var(--_color-fg);
  }
  text.lbl {
    paint-order: stroke;
    stroke: var(--_color-bg);
    stroke-width: 3px;
    stroke-linejoin: round;
  }
  text.lbl.dim {
    opacity: 0.45;
  }
  text.lbl .amt,
  text.lbl.detail {
    fill: var(--_color-muted);
  }
  text.colhead {
    font-weight: 600;
    fill: var(--_color-muted);
  }
  line.leader {
    stroke: var(--_color-muted);
    stroke-width: 1px;
  }
  .plot {
    width: 100%;
    min-height: 40px;
  }
  .plot svg {
    display: block;
  }
  [part='legend'] {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 14px;
    margin: 0;
    padding: 0;
    list-style: none;
    font-size: 12px;
    color: var(--_color-fg);
  }
  [part='legend'] li {
    display: inline-flex;
    align-items: center;
    gap: 5px;
  }
  [part='legend'] svg {
    flex: none;
  }
  th.rowhead {
    position: static;
    background: transparent;
    font-weight: normal;
  }
  button.link {
    color: var(--_color-fg);
    font-size: 12px;
    padding: 0 4px;
    min-height: 20px;
    text-decoration: underline dotted;
    text-underline-offset: 3px;
    font-variant-numeric: tabular-nums;
  }
  button.link[aria-pressed='true'] {
    color: var(--_color-accent);
    font-weight: 600;
  }
  [part='alerts-header'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 10px;
    margin: 0 0 6px;
    font-size: 12px;
  }
  .count {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    color: var(--_color-fg);
    font-weight: 600;
  }
  [part='badge'] {
    display: inline-block;
    min-width: 22px;
    padding: 1px 7px;
    border-radius: 999px;
    background: var(--_color-bad);
    color: var(--_color-bg);
    font-weight: 700;
    text-align: center;
    font-variant-numeric: tabular-nums;
  }
  .count .muted {
    color: var(--_color-muted);
    font-weight: normal;
  }
  .chips {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
  }
  [part~='rule-chip'] {
    border: 1px solid var(--_color-border);
    border-radius: 999px;
    padding: 0 8px;
    min-height: 22px;
    color: var(--_color-fg);
  }
  [part~='rule-chip'] .n {
    color: var(--_color-muted);
    margin-left: 3px;
    font-variant-numeric: tabular-nums;
  }
  [part='alerts'] {
    overflow: auto;
    max-height: var(--fin-fund-flow-alerts-max-height, 360px);
  }
  [part='alerts'] th button {
    color: var(--_color-fg);
    font-weight: 600;
    padding: 0 2px;
    min-height: 20px;
    display: inline-flex;
    align-items: center;
    gap: 3px;
  }
  [part='alerts'] th.num button {
    margin-left: auto;
  }
  [part='alerts'] .arrow {
    color: var(--_color-muted);
    font-size: 10px;
    width: 8px;
  }
  [part='alerts'] th,
  [part='alerts'] td {
    padding: 4px 6px;
    vertical-align: top;
  }
  [part='alerts'] td.rule {
    max-width: 13em;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  [part='alerts'] .sub {
    color: var(--_color-muted);
    margin-left: 2px;
  }
  [part='alerts'] .line {
    display: block;
    margin-left: 0;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  [part='alerts'].narrow table {
    table-layout: fixed;
  }
  /* The amount column is never cut (numbers do not truncate); the rule column gives way. */
  col.c-date {
    width: 34%;
  }
  col.c-rule {
    width: 28%;
  }
  col.c-amount {
    width: 38%;
  }
  [part='alerts'].narrow td,
  [part='alerts'].narrow th {
    overflow: hidden;
    text-overflow: ellipsis;
  }
  /* Narrow: rule names wrap rather than lose their distinguishing end ("(non-individual)"). */
  [part='alerts'].narrow td.rule {
    max-width: none;
    white-space: normal;
    overflow-wrap: anywhere;
  }
  [part='alerts'] td .link {
    margin-left: -4px;
  }
  [part='rule-select'] {
    font: inherit;
    font-size: 12px;
    color: var(--_color-fg);
    background: var(--_color-bg);
    border: 1px solid var(--_color-border);
    border-radius: 4px;
    padding: 2px 4px;
    max-width: 100%;
  }
  [part='alerts'] td.none {
    text-align: center;
    color: var(--_color-muted);
  }
  @media (prefers-reduced-motion: reduce) {
    [part~='link'],
    .node .bar {
      transition: none;
    }
  }
`;
