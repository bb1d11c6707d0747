// Gallery of <fin-heatmap> on the seeded sample (engine in-thread) and on the UCI Bank Marketing
// data (datasets/bank_marketing/bank-full.csv.gz): both locales, both themes, a 320px instance, empty, partial and
// error states. `body[data-ready]` is set once every heatmap has drawn (or settled in a state).
// Text-only DOM building.
import { BANK_FULL, fetchGzText } from '../real-data.js';
import '../../components/heatmap/define.js';
import type { FinHeatmap } from '../../components/heatmap/heatmap.js';
import { createEngine } from '../../src/engine/create.js';
import type { MetricResult } from '../../src/engine/types.js';

document.documentElement.lang = 'zh-CN';
const root = document.getElementById('root')!;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function section(title: string, cls = ''): HTMLElement {
  const box = document.createElement('div');
  box.className = `cell ${cls}`.trim();
  const h = document.createElement('h2');
  h.textContent = title;
  box.append(h);
  return box;
}

function grid(): HTMLElement {
  const g = document.createElement('div');
  g.className = 'grid';
  root.append(g);
  return g;
}

function heatmap(attrs: Record<string, string>, props: Partial<FinHeatmap> = {}): FinHeatmap {
  const el = document.createElement('fin-heatmap');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  Object.assign(el, props);
  return el;
}

const engine = createEngine();
await engine.loadSample({ customers: 800 });
const bankText = await fetchGzText(BANK_FULL);
await engine.load('bank', bankText);

const all: FinHeatmap[] = [];
function add(parent: HTMLElement, el: FinHeatmap): FinHeatmap {
  parent.append(el);
  all.push(el);
  return el;
}

// 1. The four theme × locale combinations of the contact-rate preset.
const g1 = grid();
for (const [theme, locale] of [
  ['light', 'zh-CN'],
  ['light', 'en-US'],
  ['dark', 'zh-CN'],
  ['dark', 'en-US'],
] as const) {
  const box = section(
    `${theme} · ${locale} · preset contact-rate-weekday-hour`,
    theme === 'dark' ? 'dark' : '',
  );
  g1.append(box);
  add(box, heatmap({ preset: 'contact-rate-weekday-hour', theme, locale }, { engine }));
}

// 2. The other presets, wide.
const g2 = grid();
for (const [preset, locale, theme] of [
  ['overdue-region-month', 'zh-CN', 'light'],
  ['txn-weekday-hour', 'en-US', 'light'],
  ['overdue-region-month', 'en-US', 'dark'],
] as const) {
  const box = section(`${theme} · ${locale} · preset ${preset}`, `wide ${theme === 'dark' ? 'dark' : ''}`);
  g2.append(box);
  add(box, heatmap({ preset, locale, theme }, { engine }));
}

// 3. Bank marketing: conversion rate by job × month (sequential and diverging around the overall rate).
const bankParams = {
  x: { field: 'month', order: MONTHS },
  y: { field: 'job' },
  measure: { ratio: [{ agg: 'count', where: [{ field: 'y', op: 'eq', value: 'yes' }] }, { agg: 'count' }] },
};
const g3 = grid();
for (const [locale, theme, scheme] of [
  ['zh-CN', 'light', 'sequential'],
  ['en-US', 'light', 'diverging'],
  ['en-US', 'dark', 'sequential'],
  ['zh-CN', 'dark', 'diverging'],
] as const) {
  const box = section(`bank-full · ${locale} · ${theme} · ${scheme}`, theme === 'dark' ? 'dark' : '');
  g3.append(box);
  add(
    box,
    heatmap(
      {
        source: 'bank',
        locale,
        theme,
        scheme,
        heading:
          locale === 'zh-CN'
            ? '定存认购率：职业 × 月份（UCI 银行营销）'
            : 'Term-deposit conversion by job × month (UCI Bank Marketing)',
      },
      { engine, params: bankParams },
    ),
  );
}

// 4. Narrow, empty, partial, error.
const g4 = document.createElement('div');
g4.className = 'row';
root.append(g4);
const narrow = section('320px · zh-CN', 'narrow');
g4.append(narrow);
add(narrow, heatmap({ preset: 'contact-rate-weekday-hour', locale: 'zh-CN' }, { engine }));
const narrow2 = section('320px · en-US · bank', 'narrow');
g4.append(narrow2);
add(
  narrow2,
  heatmap(
    { source: 'bank', locale: 'en-US', heading: 'Conversion by job × month' },
    { engine, params: bankParams },
  ),
);

const states = document.createElement('div');
states.style.display = 'grid';
states.style.gap = '16px';
g4.append(states);
const empty: MetricResult = {
  data: [],
  basis: {
    metric: 'heatmap',
    title: { 'zh-CN': '热力图', 'en-US': 'Heatmap' },
    formula: { 'zh-CN': '—', 'en-US': '—' },
    options: {},
    filters: [],
    exclusions: [],
  },
  quality: { rows: 0, used: 0, excluded: {}, warnings: [] },
  meta: { xDomain: [], yDomain: [] },
  empty: { 'zh-CN': '所选范围内没有数据', 'en-US': 'No data in the selected range' },
};
const eBox = section('empty · zh-CN');
states.append(eBox);
add(eBox, heatmap({ locale: 'zh-CN', heading: '空状态' }, { result: empty }));
const errBox = section('error (missing column) · en-US');
states.append(errBox);
add(
  errBox,
  heatmap(
    { locale: 'en-US', source: 'bank', heading: 'Error state' },
    { engine, params: { x: { field: 'no_such_column' }, y: { field: 'job' } } },
  ),
);
const partBox = section('partial (filtered, rows excluded) · zh-CN');
states.append(partBox);
add(
  partBox,
  heatmap(
    { locale: 'zh-CN', preset: 'txn-weekday-hour', heading: '部分数据（示例警告）' },
    {
      result: {
        data: [
          { x: 9, y: 1, value: 120, n: 120 },
          { x: 10, y: 1, value: 180, n: 180 },
          { x: 9, y: 2, value: null, n: 0 },
          { x: 10, y: 2, value: 95, n: 95 },
        ],
        basis: {
          metric: 'heatmap',
          title: { 'zh-CN': '热力图', 'en-US': 'Heatmap' },
          formula: { 'zh-CN': 'count()', 'en-US': 'count()' },
          measure: 'count',
          options: { x: { field: 'txn_time', part: 'hour' }, y: { field: 'txn_time', part: 'dow' } },
          filters: [],
          exclusions: [],
        },
        quality: {
          rows: 410,
          used: 395,
          excluded: { unparseable_date: 15 },
          warnings: [{ 'zh-CN': '部分交易时间缺失', 'en-US': 'Some transaction times are missing' }],
        },
        meta: { xDomain: [9, 10], yDomain: [1, 2] },
      },
    },
  ),
);

// 5. Interaction: a selected column (clicked cell) and the keyboard path, the table view.
const g5 = grid();
const selBox = section('selection · select-on="y" · en-US (Wednesday clicked)');
g5.append(selBox);
const selected = add(
  selBox,
  heatmap({ preset: 'contact-rate-weekday-hour', locale: 'en-US', 'select-on': 'y' }, { engine }),
);
const tableBox = section('table view (keyboard selection) · zh-CN');
g5.append(tableBox);
add(tableBox, heatmap({ preset: 'txn-weekday-hour', locale: 'zh-CN', view: 'table' }, { engine }));

async function settled(): Promise<void> {
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    const done = all.every((el) => {
      const s = el.renderState;
      if (s === 'empty' || s === 'error' || el.view === 'table') return s !== 'loading' && s !== 'idle';
      return (s === 'ok' || s === 'partial') && el.view_ !== null;
    });
    if (done) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

await settled();
// Click a Wednesday cell the way a user does: Vega picks the item from the event target.
const wed = [
  ...selected.shadowRoot!.querySelectorAll<SVGElement>('.plot svg g.mark-rect.cells_marks > path'),
].find((p) => (p as unknown as { __data__?: { datum?: { yv?: unknown } } }).__data__?.datum?.yv === 3);
if (wed) {
  const b = wed.getBoundingClientRect();
  const before = selected.view_;
  wed.dispatchEvent(
    new MouseEvent('click', { bubbles: true, composed: true, clientX: b.x + 2, clientY: b.y + 2 }),
  );
  for (let i = 0; i < 100 && (selected.view_ === before || selected.view_ === null); i++)
    await new Promise((r) => setTimeout(r, 50));
}

// Ready when every element has drawn its view or settled in a non-chart state.
await settled();
document.body.dataset.ready = '1';
