/** The composer's own events (`fin-error` is the shared one of components/base/events.ts). */
import type { DashboardSpec } from '../../src/dashboard/spec.js';

/** Detail of `fin-spec-change`: the spec after a committed edit, and what the edit did. */
export interface FinSpecChangeDetail {
  spec: DashboardSpec;
  label: string;
}

/** Fired after every committed edit (a drop, an applied field, undo/redo). */
export class FinSpecChangeEvent extends CustomEvent<FinSpecChangeDetail> {
  constructor(detail: FinSpecChangeDetail) {
    super('fin-spec-change', { detail, bubbles: true, composed: true });
  }
}

/** Fired when the user asks to save (the host persists; the editor has no network of its own). */
export class FinSaveEvent extends CustomEvent<{ spec: DashboardSpec }> {
  constructor(detail: { spec: DashboardSpec }) {
    super('fin-save', { detail, bubbles: true, composed: true });
  }
}
