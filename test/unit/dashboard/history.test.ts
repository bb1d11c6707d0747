import { describe, expect, it } from 'vitest';
import { History } from '../../../src/dashboard/history.js';

describe('History (undo/redo per document)', () => {
  it('undoes and redoes in order, with the labels of what was undone', () => {
    const h = new History('a');
    h.commit('b', 'to b');
    h.commit('c', 'to c');
    expect(h.undo()?.label).toBe('to c');
    expect(h.state).toBe('b');
    expect(h.undo()?.label).toBe('to b');
    expect(h.state).toBe('a');
    expect(h.undo()).toBeNull();
    expect(h.redo()?.label).toBe('to b');
    expect(h.redo()?.label).toBe('to c');
    expect(h.state).toBe('c');
    expect(h.redo()).toBeNull();
  });

  it('a new edit after undo clears the redo list', () => {
    const h = new History(0);
    h.commit(1, 'one');
    h.commit(2, 'two');
    h.undo();
    h.commit(3, 'three');
    expect(h.canRedo).toBe(false);
    expect(h.undo()?.label).toBe('three');
    expect(h.state).toBe(1);
  });

  it('keeps at most `limit` steps, dropping the oldest', () => {
    const h = new History(0, 100);
    for (let i = 1; i <= 130; i++) h.commit(i, `#${i}`);
    expect(h.depth).toBe(100);
    let n = 0;
    while (h.undo()) n++;
    expect(n).toBe(100);
    expect(h.state).toBe(30);
  });

  it('ignores commits equal to the current state', () => {
    const same = (a: { v: number }, b: { v: number }): boolean => a.v === b.v;
    const h = new History({ v: 1 }, 100, same);
    expect(h.commit({ v: 1 }, 'noop')).toBe(false);
    expect(h.canUndo).toBe(false);
    expect(h.commit({ v: 2 }, 'real')).toBe(true);
    expect(h.canUndo).toBe(true);
  });

  it('reset starts a new document with no steps', () => {
    const h = new History('x');
    h.commit('y', 'edit');
    h.reset('other');
    expect(h.canUndo || h.canRedo).toBe(false);
    expect(h.state).toBe('other');
  });
});
