import { css } from 'lit';

/** Styles of `<fin-cohort>` (after the base styles and the ramp). */
export const cohortStyles = css`
  :host {
    min-width: 240px;
  }
  /* Content-sized by default; in a fixed-height host (a dashboard cell) the plot scrolls and
     the legend and controls stay in view. */
  [part='chart'] {
    display: flex;
    flex-direction: column;
  }
  .plot {
    flex: 0 1 auto;
    min-height: 0;
    width: 100%;
    overflow: auto;
  }
  .foot {
    flex: none;
  }
  .foot {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 6px 16px;
    margin-top: 6px;
    font-size: 12px;
    color: var(--_color-muted);
  }
  [part='legend'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 14px;
  }
  .scale {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    font-variant-numeric: tabular-nums;
  }
  .scale svg {
    display: block;
    width: 96px;
    height: 10px;
  }
  .blank {
    display: inline-flex;
    align-items: center;
    gap: 6px;
  }
  .blank i {
    display: inline-block;
    width: 14px;
    height: 10px;
    border: 1px dashed var(--_color-border);
    background: var(--_color-bg);
  }
  [part='controls'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 12px;
  }
  [part='display-toggle'] {
    display: inline-flex;
    border: 1px solid var(--_color-border);
    border-radius: 4px;
    overflow: hidden;
  }
  [part='display-toggle'] button {
    border: 0;
    border-radius: 0;
  }
  [part='display-toggle'] button + button {
    border-inline-start: 1px solid var(--_color-border);
  }
  [part='display-toggle'] button[aria-pressed='true'] {
    background: var(--_color-surface);
    color: var(--_color-accent);
  }
  label {
    display: inline-flex;
    align-items: center;
    gap: 6px;
  }
  select {
    font: inherit;
    font-size: 12px;
    color: var(--_color-fg);
    background: var(--_color-bg);
    border: 1px solid var(--_color-border);
    border-radius: 4px;
    padding: 2px 4px;
    min-height: 24px;
    max-width: 150px;
  }
  /* Row headers: not sticky to the top like column headers, but to the start edge. */
  tbody th {
    position: sticky;
    top: auto;
    inset-inline-start: 0;
    z-index: 1;
    padding: 1px 4px;
    font-weight: normal;
    background: var(--_color-bg);
  }
  thead th:first-child {
    inset-inline-start: 0;
    z-index: 2;
  }
  th button.cohort {
    font-size: 12px;
    padding: 0 4px;
    min-height: 22px;
    color: var(--_color-fg);
    border-color: transparent;
  }
  th button.cohort[aria-pressed='true'] {
    color: var(--_color-accent);
    border-color: var(--_color-accent);
  }
`;
