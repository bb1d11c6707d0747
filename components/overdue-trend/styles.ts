import { css } from 'lit';

/** Styles of `<fin-overdue-trend>` (after the base styles). */
export const overdueTrendStyles = css`
  :host {
    --_legend-gap: var(--fin-overdue-trend-legend-gap, 4px 12px);
    min-width: 240px;
  }
  [part='legend'] {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_legend-gap);
    margin: 0;
    padding: 0;
    list-style: none;
    font-size: 12px;
  }
  [part='legend'] button {
    display: inline-flex;
    align-items: center;
    gap: 5px;
    padding: 1px 5px;
    color: var(--_color-fg);
  }
  [part='legend'] button[aria-pressed='true'] {
    color: var(--_color-accent);
    border-color: var(--_color-accent);
    font-weight: 600;
  }
  [part='legend'] svg {
    flex: none;
  }
  [part='legend'] button.flow-set {
    border: 1px solid var(--_color-border);
    border-radius: 10px;
    color: var(--_color-muted);
  }
  [part='legend'] li.rule {
    display: inline-flex;
    align-items: center;
    gap: 5px;
    padding: 1px 5px;
    color: var(--_color-bad);
  }
  [part='note'] {
    margin: 0;
    font-size: 12px;
    color: var(--_color-muted);
  }
  [part='note'].alert {
    color: var(--_color-bad);
  }
  .plot {
    width: 100%;
    min-height: 40px;
    /* Shift-click selects a month range, not the axis text. */
    user-select: none;
    -webkit-user-select: none;
  }
  .plot svg {
    display: block;
  }
  th.rowhead {
    font-weight: normal;
  }
  th.rowhead button {
    color: var(--_color-fg);
    font-size: 12px;
    padding: 0 4px;
    text-decoration: underline dotted;
    text-underline-offset: 3px;
  }
  th.rowhead button[aria-pressed='true'] {
    color: var(--_color-accent);
    font-weight: 600;
  }
`;
