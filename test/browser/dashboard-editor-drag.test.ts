/**
 * `<fin-dashboard-editor>` while a widget is dragged (issue 17, frame budget): the preview is drawn
 * by translating cells from their places at the start of the move (the grid is not laid out again
 * on every step), pointer moves are coalesced to one per frame without losing the last position, a
 * move that stays in its cell renders nothing, and the canvas grows in steps and never shrinks
 * before the drop.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../components/dashboard-editor/define.js';
import type { FinDashboardEditor } from '../../components/dashboard-editor/define.js';
import { canvasRows, GROW_ROWS } from '../../components/dashboard-editor/canvas-view.js';
import type { DashboardSpec } from '../../src/dashboard/spec.js';
import { frame, sr } from './helpers.js';

/** a | b on rows 0–1, c (full width) on rows 2–3. */
const SPEC: DashboardSpec = {
  version: 2,
  id: 'drag',
  title: { 'zh-CN': '拖动', 'en-US': 'Drag' },
  widgets: [
    { id: 'a', type: 'kpi-card', params: { measure: { agg: 'count' } }, grid: { x: 0, y: 0, w: 6, h: 2 } },
    { id: 'b', type: 'kpi-card', params: { measure: { agg: 'count' } }, grid: { x: 6, y: 0, w: 6, h: 2 } },
    { id: 'c', type: 'table', grid: { x: 0, y: 2, w: 12, h: 2 } },
  ],
};
const PITCH = 52; // row 44 px + gap 8 px

before(async () => {
  await setViewport({ width: 1400, height: 1100 });
});

async function mount(): Promise<FinDashboardEditor> {
  const el = await fixture<FinDashboardEditor>(
    html`<fin-dashboard-editor style="width: 1300px; display: block" locale="en-US" .spec=${SPEC}></fin-dashboard-editor>`,
  );
  await el.updateComplete;
  await frame();
  return el;
}

const q = (el: Element, sel: string): HTMLElement => {
  const hit = sr(el).querySelector<HTMLElement>(sel);
  if (!hit) throw new Error(`no ${sel}`);
  return hit;
};
const canvasOf = (el: Element): DOMRect => q(el, '[part="canvas"]').getBoundingClientRect();
const cellOf = (el: Element, id: string): HTMLElement => q(el, `[data-wid="${id}"]`);

function pointer(type: string, target: EventTarget, x: number, y: number): void {
  target.dispatchEvent(
    new PointerEvent(type, { clientX: x, clientY: y, pointerId: 1, button: 0, buttons: type === 'pointerup' ? 0 : 1, bubbles: true, composed: true }),
  );
}

/** Grabs widget `id` by its move bar; returns the grab point. */
function grab(el: FinDashboardEditor, id: string): [number, number] {
  const g = q(el, `[data-grab="${id}"]`);
  const r = g.getBoundingClientRect();
  const at: [number, number] = [Math.round(r.left + 10), Math.round(r.top + r.height / 2)];
  pointer('pointerdown', g, ...at);
  return at;
}

describe('fin-dashboard-editor drag', () => {
  it('canvasRows: three free rows, at least ten; during a move it grows in steps and never below the committed rows', () => {
    expect(canvasRows(5, null)).to.equal(10);
    expect(canvasRows(12, null)).to.equal(15);
    expect(canvasRows(12, 12)).to.equal(15);
    expect(canvasRows(12, 4)).to.equal(15); // the preview is shorter: no shrinking before the drop
    expect(canvasRows(12, 13)).to.equal(15 + GROW_ROWS); // needs 16 → one step
    expect(canvasRows(12, 18)).to.equal(21); // needs 21 → still one step
    expect(canvasRows(12, 19)).to.equal(27); // needs 22 → two steps
    expect(canvasRows(2, 3)).to.equal(10);
  });

  it('draws the preview by translation: moved and pushed cells at their preview rows, grid places kept', async () => {
    const el = await mount();
    const top = canvasOf(el).top;
    const [x, y] = grab(el, 'a');
    pointer('pointermove', window, x, y + 2 * PITCH); // a → row 2, c pushed to row 4
    await frame();
    await el.updateComplete;
    expect(cellOf(el, 'a').getBoundingClientRect().top - top).to.be.closeTo(2 * PITCH, 1);
    expect(cellOf(el, 'c').getBoundingClientRect().top - top).to.be.closeTo(4 * PITCH, 1);
    expect(cellOf(el, 'b').getBoundingClientRect().top - top).to.be.closeTo(0, 1);
    // Grid placement is still the start's; the difference is a transform.
    expect(cellOf(el, 'a').style.gridRow).to.equal('1 / span 2');
    expect(cellOf(el, 'c').style.gridRow).to.equal('3 / span 2');
    expect(cellOf(el, 'a').style.transform).to.match(/translate\(0px, 104px\)/);
    expect(cellOf(el, 'b').style.transform).to.equal('');
    // Nothing is committed before the drop.
    expect(el.value!.widgets.map((w) => w.grid.y)).to.deep.equal([0, 0, 2]);
    pointer('pointerup', window, x, y + 2 * PITCH);
    await el.updateComplete;
    await frame();
    expect(el.value!.widgets.map((w) => [w.id, w.grid.y])).to.deep.equal([['a', 2], ['b', 0], ['c', 4]]);
    // After the drop: grid places, no transforms, and the same drawn positions.
    for (const id of ['a', 'b', 'c']) expect(cellOf(el, id).style.transform).to.equal('');
    expect(cellOf(el, 'a').style.gridRow).to.equal('3 / span 2');
    expect(cellOf(el, 'c').getBoundingClientRect().top - canvasOf(el).top).to.be.closeTo(4 * PITCH, 1);
  });

  it('coalesces moves to one per frame and drops no final position', async () => {
    const el = await mount();
    const [x, y] = grab(el, 'a');
    // Three moves before any frame: the frame applies the last one.
    pointer('pointermove', window, x, y + 1 * PITCH);
    pointer('pointermove', window, x, y + 5 * PITCH);
    pointer('pointermove', window, x, y + 3 * PITCH);
    await frame();
    await el.updateComplete;
    expect(cellOf(el, 'a').getBoundingClientRect().top - canvasOf(el).top).to.be.closeTo(3 * PITCH, 1);
    // Moves then an immediate release (the frame has not run): the drop is at the release point.
    pointer('pointermove', window, x, y + 4 * PITCH);
    pointer('pointerup', window, x + 0, y + 6 * PITCH);
    await el.updateComplete;
    expect(el.value!.widgets.find((w) => w.id === 'a')!.grid).to.deep.equal({ x: 0, y: 6, w: 6, h: 2 });
    expect(el.canUndo).to.equal(true);
  });

  it('a move that stays in the same cell renders nothing', async () => {
    const el = await mount();
    let updates = 0;
    const orig = el.requestUpdate.bind(el);
    el.requestUpdate = ((...args: Parameters<typeof orig>) => {
      updates++;
      return orig(...args);
    }) as typeof el.requestUpdate;
    const [x, y] = grab(el, 'a');
    pointer('pointermove', window, x, y + PITCH);
    await frame();
    await el.updateComplete;
    const after = updates;
    expect(after).to.be.greaterThan(0);
    for (const d of [3, 9, 15]) {
      pointer('pointermove', window, x + d, y + PITCH + d);
      await frame();
    }
    expect(updates).to.equal(after);
    pointer('pointermove', window, x, y + 2 * PITCH);
    await frame();
    expect(updates).to.be.greaterThan(after);
    pointer('pointerup', window, x, y + 2 * PITCH);
    await el.updateComplete;
    expect(el.value!.widgets.find((w) => w.id === 'a')!.grid.y).to.equal(2);
  });

  it('the canvas grows in steps while a widget goes down and keeps its height until the drop', async () => {
    const el = await mount();
    const rows = (): string => q(el, '[part="canvas"]').style.gridTemplateRows;
    expect(rows()).to.equal('repeat(10, 44px)'); // bottom 4 → max(7, 10)
    const [x, y] = grab(el, 'c');
    pointer('pointermove', window, x, y + 8 * PITCH); // c → rows 10–11: needs 15 → 10 + 6
    await frame();
    await el.updateComplete;
    expect(rows()).to.equal(`repeat(${10 + GROW_ROWS}, 44px)`);
    pointer('pointermove', window, x, y + PITCH); // back up: no shrinking during the move
    await frame();
    await el.updateComplete;
    expect(rows()).to.equal(`repeat(${10 + GROW_ROWS}, 44px)`);
    pointer('pointerup', window, x, y + PITCH);
    await el.updateComplete;
    expect(rows()).to.equal('repeat(10, 44px)'); // c at row 3: bottom 5 → 10
  });

  it('keyboard moves draw the same preview (translation) and commit the same layout', async () => {
    const el = await mount();
    const top = canvasOf(el).top;
    q(el, '[data-grab="a"]').focus();
    await sendKeys({ press: 'Enter' });
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(cellOf(el, 'a').getBoundingClientRect().top - top).to.be.closeTo(2 * PITCH, 1);
    expect(cellOf(el, 'c').getBoundingClientRect().top - top).to.be.closeTo(4 * PITCH, 1);
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.value!.widgets.map((w) => [w.id, w.grid.y])).to.deep.equal([['a', 2], ['b', 0], ['c', 4]]);
    expect(cellOf(el, 'a').style.transform).to.equal('');
  });
});
