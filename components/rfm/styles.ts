import { css } from 'lit';

/** Styles of `<fin-rfm>` (after the base styles). */
export const rfmStyles = css`
  :host {
    min-width: 200px;
  }
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
  [part='context'] {
    display: flex;
    flex-wrap: wrap;
    gap: 2px 12px;
    font-size: 12px;
    color: var(--_color-muted);
    margin-bottom: 8px;
  }
  [part='controls'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 10px;
    margin-bottom: 10px;
  }
  .toggle {
    display: inline-flex;
    border: 1px solid var(--_color-border);
    border-radius: 4px;
    overflow: hidden;
  }
  .toggle button {
    border: 0;
    border-radius: 0;
  }
  .toggle button + button {
    border-inline-start: 1px solid var(--_color-border);
  }
  .toggle button[aria-pressed='true'] {
    background: var(--_color-surface);
    color: var(--_color-accent);
    font-weight: 600;
  }
  [part='segments'] {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 6px;
    margin: 10px 0 0;
    padding: 0;
    list-style: none;
  }
  [part='segment'] {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    color: var(--_color-fg);
    border-color: var(--_color-border);
    padding: 2px 8px 2px 6px;
  }
  [part='segment'] svg {
    display: block;
    flex: none;
  }
  [part='segment'] .label {
    max-width: 24em;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    text-align: start;
  }
  [part='segment'] .n {
    color: var(--_color-muted);
    font-variant-numeric: tabular-nums;
  }
  [part='segment'][aria-pressed='true'] {
    border-color: var(--_color-fg);
    background: var(--_color-surface);
    font-weight: 600;
  }
  /* Not selected while another segment is: muted text (still ≥ 4.5:1), faded swatch. */
  [part='segment'].dim {
    color: var(--_color-muted);
  }
  [part='segment'].dim svg {
    opacity: 0.45;
  }
  [part='note'] {
    margin: 6px 0 0;
    font-size: 12px;
    color: var(--_color-muted);
  }
  [part='select'] {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    font-size: 12px;
    color: var(--_color-fg);
    border-color: transparent;
    padding: 0 4px;
    min-height: 22px;
    text-align: start;
  }
  [part='select'][aria-pressed='true'] {
    border-color: var(--_color-fg);
    font-weight: 600;
  }
  tr.dim td {
    color: var(--_color-muted);
  }
  /* Long column names wrap instead of pushing the table into a horizontal scroll. */
  th,
  td {
    padding: 4px 6px;
  }
  thead th {
    white-space: normal;
    vertical-align: bottom;
    min-width: 4em;
  }
  /* Row headers: sticky to the start edge (not to the top like the column headers). */
  tbody th {
    position: sticky;
    top: auto;
    inset-inline-start: 0;
    z-index: 1;
    padding: 1px 4px;
    font-weight: normal;
    background: var(--_color-bg);
  }
  /* Chinese headers wrap only where there is a space, never inside a word. */
  table.zh thead th {
    word-break: keep-all;
  }
  thead th:first-child {
    inset-inline-start: 0;
    z-index: 2;
  }
  [part='customers'] {
    margin-top: 12px;
    border-top: 1px solid var(--_color-border);
    padding-top: 8px;
    font-size: 12px;
  }
  [part='customers'] .head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 2px 10px;
    margin-bottom: 6px;
  }
  [part='customers'] .head strong {
    font-size: 13px;
  }
  [part='customers'] .muted {
    color: var(--_color-muted);
  }
  [part='customers'] .scroll {
    max-height: 280px;
    overflow: auto;
  }
  [part='customers'] td.id {
    font-variant-numeric: tabular-nums;
  }
`;
