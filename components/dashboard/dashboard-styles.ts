import { css } from 'lit';
import { baseStyles } from '../base/styles.js';
import { watermarkStyles } from '../base/watermark.js';

/** Styles of `<fin-dashboard>`: the header (title, filter bar, load report, selection chips) and the grid. */
export const dashboardStyles = [
  baseStyles,
  watermarkStyles,
  css`
    :host {
      display: block;
    }
    [part='base'] {
      background: transparent;
      border: 0;
      box-shadow: none;
      padding: 0;
      overflow: visible;
    }
    [part='grid'] {
      display: grid;
      grid-template-columns: repeat(var(--_cols), minmax(0, 1fr));
      grid-auto-rows: minmax(var(--_row), auto);
      gap: var(--fin-dashboard-gap, 12px);
    }
    [part='grid'] > * {
      min-width: 0;
    }
    .load-report {
      font-size: 12px;
      color: var(--fin-color-warning-text, #8a5a00);
      background: var(--fin-color-warning-bg, #fff7e6);
      border-radius: var(--fin-radius, 6px);
      padding: 4px 8px;
    }
    .chips {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      align-items: center;
      font-size: 12px;
    }
    .chip {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      padding: 2px 4px 2px 8px;
      border: 1px solid var(--_color-accent);
      border-radius: 999px;
      color: var(--_color-accent);
    }
    .crumbs {
      font-size: 12px;
      display: flex;
      gap: 4px;
      align-items: center;
    }
    [part='error'] ul {
      text-align: start;
      margin: 0;
      padding-inline-start: 18px;
    }
    .dash-header {
      flex-direction: column;
      align-items: stretch;
      gap: 8px;
    }
    h2 {
      margin: 0;
      font-size: 18px;
    }
  `,
];
