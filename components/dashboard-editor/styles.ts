import { css } from 'lit';
import { baseStyles } from '../base/styles.js';

/** Styles of `<fin-dashboard-editor>` (tokens from the shared theme; no data in CSS). */
export const editorStyles = [
  baseStyles,
  css`
    [part='base'] {
      gap: 10px;
      min-height: 560px;
    }
    [part='toolbar'] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 10px;
    }
    .doc-title {
      margin: 0;
      font-size: 16px;
      flex: 1 1 12em;
    }
    .badge {
      font-size: 12px;
      padding: 2px 8px;
      border-radius: 10px;
      border: 1px solid var(--_color-border);
      color: var(--_color-muted);
    }
    .tabs,
    .actions,
    .row {
      display: flex;
      gap: 6px;
      flex-wrap: wrap;
      align-items: center;
    }
    button {
      font: inherit;
      font-size: 13px;
      padding: 4px 10px;
      color: var(--_color-fg);
      background: var(--_color-bg);
      border: 1px solid var(--_color-border);
      border-radius: 4px;
      cursor: pointer;
    }
    button:disabled,
    button[aria-disabled='true'] {
      cursor: default;
      opacity: 0.5;
    }
    button.primary,
    [role='tab'][aria-selected='true'] {
      background: var(--_color-accent);
      border-color: var(--_color-accent);
      color: var(--_color-bg);
    }
    button.danger {
      color: var(--_color-error);
    }
    button.link {
      border: none;
      padding: 0 4px;
      text-decoration: underline;
      background: none;
    }
    :focus-visible {
      outline: 2px solid var(--_color-accent);
      outline-offset: 2px;
    }
    .sr-only {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
    .design {
      display: grid;
      grid-template-columns: 220px minmax(0, 1fr) 300px;
      gap: 10px;
      min-height: 480px;
    }
    aside {
      overflow: auto;
      max-height: 78vh;
      border: 1px solid var(--_color-border);
      border-radius: 6px;
      padding: 8px;
    }
    aside h3 {
      margin: 0 0 6px;
      font-size: 13px;
    }
    [part='palette'] ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: 6px;
    }
    .pal {
      display: grid;
      grid-template-columns: 40px 1fr auto;
      gap: 6px;
      align-items: center;
      padding: 4px;
      border-radius: 4px;
      border: 1px solid transparent;
    }
    .pal:hover {
      border-color: var(--_color-border);
    }
    .thumb,
    .pal-text {
      cursor: grab;
      touch-action: none;
      color: var(--_color-accent);
    }
    .pal-text {
      display: flex;
      flex-direction: column;
      min-width: 0;
      color: var(--_color-fg);
    }
    .pal-text small {
      color: var(--_color-muted);
      font-size: 11px;
    }
    .canvas {
      position: relative;
      display: grid;
      grid-template-columns: repeat(var(--cols), minmax(0, 1fr));
      /* grid-template-rows is set inline (canvas-view.ts): a plain property, not an inherited
         custom property, so a new row count restyles the canvas alone, not every cell in it. */
      gap: 8px;
      align-content: start;
      padding: 0;
      min-height: 480px;
      background-image: linear-gradient(to right, var(--_color-border) 1px, transparent 1px);
      /* One row high, not 100 %: when the canvas grows during a drag only the new rows are
         painted, not the whole background again. */
      background-size: calc((100% + 8px) / var(--cols)) 52px;
      border-radius: 6px;
    }
    .empty-hint {
      grid-column: 1 / -1;
      grid-row: 1 / span 2;
      align-self: center;
      text-align: center;
      color: var(--_color-muted);
    }
    .w {
      position: relative;
      display: flex;
      flex-direction: column;
      gap: 2px;
      min-width: 0;
      padding: 6px 8px;
      background: var(--_color-bg);
      border: 1px solid var(--_color-border);
      border-radius: 6px;
      box-shadow: var(--_shadow);
      overflow: hidden;
      /* Each cell is laid out and painted on its own, on its own compositor layer: a cell that the
         drag pushes to another row moves as a layer, without repainting or re-rasterising its
         content or the canvas under it. */
      contain: layout paint style;
      will-change: transform;
    }
    .w.selected {
      border-color: var(--_color-accent);
      box-shadow: 0 0 0 1px var(--_color-accent);
    }
    .w.picked {
      opacity: 0.85;
      outline: 2px dashed var(--_color-accent);
    }
    .w.has-issue {
      border-color: var(--_color-error);
    }
    .cell-issues {
      margin: 2px 0 0;
      padding: 0;
      list-style: none;
      min-height: 0;
      overflow: hidden;
      color: var(--_color-error);
      font-size: 11px;
    }
    .cell-issues li {
      overflow: hidden;
      white-space: nowrap;
      text-overflow: ellipsis;
    }
    .filter.has-issue {
      border-color: var(--_color-error);
    }
    small.error {
      display: block;
    }
    .w.ghost {
      background: transparent;
      border: 2px dashed var(--_color-accent);
      box-shadow: none;
    }
    .grab {
      display: flex;
      align-items: center;
      gap: 6px;
      padding: 2px 4px;
      border: none;
      background: none;
      text-align: start;
      cursor: grab;
      touch-action: none;
      color: var(--_color-accent);
      min-width: 0;
    }
    .wt {
      color: var(--_color-fg);
      font-weight: 600;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .meta,
    .size {
      font-size: 11px;
      color: var(--_color-muted);
      overflow-wrap: anywhere;
    }
    .size {
      position: absolute;
      right: 8px;
      top: 6px;
    }
    .resize {
      position: absolute;
      right: 0;
      bottom: 0;
      width: 14px;
      height: 14px;
      cursor: nwse-resize;
      touch-action: none;
      background: linear-gradient(135deg, transparent 50%, var(--_color-muted) 50%);
    }
    .settings {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    .field {
      display: flex;
      flex-direction: column;
      gap: 2px;
    }
    .field label,
    .label,
    legend {
      font-size: 12px;
      color: var(--_color-muted);
    }
    input,
    select,
    textarea {
      font: inherit;
      font-size: 13px;
      color: var(--_color-fg);
      background: var(--_color-bg);
      border: 1px solid var(--_color-border);
      border-radius: 4px;
      padding: 3px 6px;
      min-width: 0;
    }
    [aria-invalid='true'] {
      border-color: var(--_color-error);
    }
    textarea {
      font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
      font-size: 12px;
    }
    fieldset {
      border: 1px solid var(--_color-border);
      border-radius: 4px;
      padding: 6px;
      margin: 0;
      display: flex;
      flex-direction: column;
      gap: 6px;
    }
    .place {
      flex-direction: row;
      flex-wrap: wrap;
    }
    .num {
      display: flex;
      flex-direction: column;
      font-size: 12px;
      width: 4.5em;
    }
    .inline {
      display: flex;
      flex-direction: column;
      font-size: 12px;
    }
    .hint {
      color: var(--_color-muted);
      font-size: 11px;
    }
    .error {
      color: var(--_color-error);
      font-size: 12px;
    }
    .check {
      display: flex;
      gap: 6px;
      align-items: center;
      font-size: 13px;
    }
    .filter {
      border-top: 1px solid var(--_color-border);
      padding-top: 6px;
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    .chip {
      display: inline-block;
      margin: 2px;
      padding: 0 6px;
      border-radius: 8px;
      border: 1px solid var(--_color-border);
      font-size: 11px;
    }
    .live-host {
      height: 240px;
    }
    .live h4 {
      margin: 0 0 4px;
      font-size: 12px;
    }
    .json {
      display: flex;
      flex-direction: column;
      gap: 6px;
    }
    .json textarea {
      min-height: 420px;
    }
    .issues,
    .issues-panel ul {
      margin: 0;
      padding-left: 18px;
      color: var(--_color-error);
      font-size: 12px;
    }
    .issues-panel summary {
      cursor: pointer;
      font-size: 13px;
    }
    .refused {
      color: var(--_color-error);
    }
    fin-dashboard {
      display: block;
    }
    @media (max-width: 900px) {
      .design {
        grid-template-columns: minmax(0, 1fr);
      }
    }
  `,
];
