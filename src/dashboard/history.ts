/**
 * Undo/redo for one document (issue 17): a bounded list of committed states. The composer keeps one
 * `History` per opened spec, so undo never leaks across documents, and commits only finished edits
 * (a drop, an applied field), so a text field keeps its own native undo while focused.
 *
 * States are stored as given (the composer stores immutable spec snapshots); `commit` of a state
 * equal to the current one (by the `same` function) is ignored, so a no-op edit is not an undo step.
 */
export interface HistoryEntry<T> {
  state: T;
  /** What the edit did, for announcements ("Moved “Overdue rate”"). */
  label: string;
}

export class History<T> {
  private past: Array<HistoryEntry<T>> = [];
  private future: Array<HistoryEntry<T>> = [];
  private current: HistoryEntry<T>;

  constructor(
    initial: T,
    /** Most undo steps kept; the oldest are dropped beyond it. */
    readonly limit = 100,
    private readonly same: (a: T, b: T) => boolean = Object.is,
  ) {
    this.current = { state: initial, label: '' };
  }

  get state(): T {
    return this.current.state;
  }
  get canUndo(): boolean {
    return this.past.length > 0;
  }
  get canRedo(): boolean {
    return this.future.length > 0;
  }
  /** Number of steps that can be undone. */
  get depth(): number {
    return this.past.length;
  }

  /** Record a new state; clears the redo list. Returns false when the state did not change. */
  commit(state: T, label: string): boolean {
    if (this.same(state, this.current.state)) return false;
    this.past.push(this.current);
    if (this.past.length > this.limit) this.past.splice(0, this.past.length - this.limit);
    this.current = { state, label };
    this.future = [];
    return true;
  }

  /** Step back; returns the entry undone (its label says what was undone), or null. */
  undo(): HistoryEntry<T> | null {
    const prev = this.past.pop();
    if (!prev) return null;
    const undone = this.current;
    this.future.push(undone);
    this.current = prev;
    return undone;
  }

  /** Step forward again; returns the entry redone, or null. */
  redo(): HistoryEntry<T> | null {
    const next = this.future.pop();
    if (!next) return null;
    this.past.push(this.current);
    this.current = next;
    return next;
  }

  /** Forget every step and start again from `state` (a newly opened document). */
  reset(state: T): void {
    this.past = [];
    this.future = [];
    this.current = { state, label: '' };
  }
}
