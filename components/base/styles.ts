import { css, unsafeCSS } from 'lit';
import { tokenCss } from '../../src/theme/tokens.js';

// Token CSS is generated from constant design tokens (src/theme/tokens.ts), never from data.
const light = unsafeCSS(tokenCss('light'));
const dark = unsafeCSS(tokenCss('dark'));

/** Shared element chrome: card, header, tool buttons, states, table, basis panel. */
export const baseStyles = css`
  :host {
    ${light}
    display: block;
    box-sizing: border-box;
    min-width: 0;
    color: var(--_color-fg);
    font-family: var(--_font-family);
    font-size: var(--_font-size);
    line-height: 1.4;
  }
  :host([theme='dark']) {
    ${dark}
  }
  :host([hidden]) {
    display: none;
  }
  * {
    box-sizing: border-box;
  }
  [part='base'] {
    position: relative;
    display: flex;
    flex-direction: column;
    gap: calc(var(--_space) * 0.66);
    height: 100%;
    padding: var(--_space);
    background: var(--_color-bg);
    border: 1px solid var(--_color-border);
    border-radius: var(--_radius);
    box-shadow: var(--_shadow);
    overflow: hidden;
  }
  [part='header'] {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    justify-content: space-between;
    gap: 8px;
    min-height: 24px;
  }
  [part='title'] {
    flex: 1 1 8em;
    min-width: 0;
    margin: 0;
    font-size: 1em;
    font-weight: 600;
    color: var(--_color-fg);
    overflow-wrap: anywhere;
  }
  .tools {
    display: flex;
    gap: 2px;
    flex-shrink: 0;
  }
  button {
    font: inherit;
    font-size: 12px;
    color: var(--_color-muted);
    background: transparent;
    border: 1px solid transparent;
    border-radius: 4px;
    padding: 2px 6px;
    cursor: pointer;
    min-height: 24px;
  }
  button:hover {
    background: var(--_color-surface);
    border-color: var(--_color-border);
    color: var(--_color-fg);
  }
  button[aria-pressed='true'] {
    color: var(--_color-accent);
    border-color: var(--_color-accent);
  }
  :focus-visible {
    outline: 2px solid var(--_color-focus);
    outline-offset: 2px;
  }
  [part='chart'] {
    position: relative;
    flex: 1 1 auto;
    min-height: 0;
    min-width: 0;
  }
  [part='loading'],
  [part='empty'],
  [part='error'] {
    flex: 1 1 auto;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 6px;
    min-height: 80px;
    padding: 12px;
    text-align: center;
    color: var(--_color-muted);
  }
  [part='error'] {
    color: var(--_color-error);
  }
  [part='error'] .detail,
  [part='empty'] .detail {
    font-size: 12px;
    color: var(--_color-muted);
    overflow-wrap: anywhere;
  }
  .spinner {
    width: 20px;
    height: 20px;
    border: 2px solid var(--_color-border);
    border-top-color: var(--_color-accent);
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
    }
    * {
      transition: none !important;
      animation-duration: 0s !important;
    }
  }
  [part='quality'] {
    font-size: 12px;
    color: var(--_color-warning);
    background: var(--_color-warning-bg);
    border-radius: 4px;
    padding: 4px 8px;
    overflow-wrap: anywhere;
  }
  [part='table'] {
    overflow: auto;
    max-height: 360px;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-size: 12px;
  }
  caption {
    text-align: start;
    color: var(--_color-muted);
    padding-bottom: 4px;
  }
  th,
  td {
    padding: 4px 8px;
    border-bottom: 1px solid var(--_color-border);
    text-align: start;
    white-space: nowrap;
  }
  thead th {
    position: sticky;
    top: 0;
    background: var(--_color-surface);
    font-weight: 600;
  }
  td.num,
  th.num {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  [part='basis'] {
    font-size: 12px;
    color: var(--_color-fg);
    background: var(--_color-surface);
    border: 1px solid var(--_color-border);
    border-radius: 6px;
    padding: 8px 10px;
  }
  [part='basis'] dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 2px 10px;
    margin: 0;
  }
  [part='basis'] dt {
    color: var(--_color-muted);
  }
  [part='basis'] dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0, 0, 0, 0);
    white-space: nowrap;
    border: 0;
  }
  [part='tooltip'] {
    position: absolute;
    z-index: 10;
    pointer-events: none;
    max-width: 260px;
    padding: 6px 8px;
    font-size: 12px;
    color: var(--_color-fg);
    background: var(--_color-bg);
    border: 1px solid var(--_color-border);
    border-radius: 4px;
    box-shadow: var(--_shadow);
    white-space: pre-line;
    overflow-wrap: anywhere;
  }
  .selection {
    display: flex;
    align-items: center;
    gap: 6px;
    font-size: 12px;
    color: var(--_color-accent);
  }
`;
