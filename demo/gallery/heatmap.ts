// Gallery of <fin-heatmap> on the seeded sample (engine in-thread) and on the UCI Bank Marketing
// data (datasets/bank_marketing/bank-full.csv.gz): both locales, both themes, a 320px instance, empty, partial and
// error states. `body[data-ready]` is set once every heatmap has drawn (or settled in a state).
// Text-only DOM building.
import { BANK_FULL, fetchGzText } from '../real-data.js';
import '../../components/heatmap/define.js';
import type { FinHeatmap } from '../../components/heatmap/heatmap.js';
import { createEngine } from '../../src/engine/create.js';
import type { MetricResult } from '../../src/engine/types.js';
import { COMBOS, dark, grid, markReady, page, Shelf, until } from './gallery.js';
import type { HeatmapParams } from '../../src/engine/params.generated.js';

const root = page();
const heatmaps = new Shelf<FinHeatmap>('fin-heatmap');
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const engine = createEngine();
await engine.loadSample({ customers: 800 });
const bankText = await fetchGzText(BANK_FULL);
await engine.load('bank', bankText);

// 1. The four theme × locale combinations of the contact-rate preset.
const g1 = grid(root);
for (const [theme, locale] of COMBOS) {
  heatmaps.inCell(
    g1,
    `${theme} · ${locale} · preset contact-rate-weekday-hour`,
    { preset: 'contact-rate-weekday-hour', theme, locale },
    { engine },
    dark(theme),
  );
}

// 2. The other presets, wide.
const g2 = grid(root);
for (const [preset, locale, theme] of [
  ['overdue-region-month', 'zh-CN', 'light'],
  ['txn-weekday-hour', 'en-US', 'light'],
  ['overdue-region-month', 'en-US', 'dark'],
] as const) {
  heatmaps.inCell(
    g2,
    `${theme} · ${locale} · preset ${preset}`,
    { preset, locale, theme },
    { engine },
    `wide ${dark(theme)}`,
  );
}

// 3. Bank marketing: conversion rate by job × month (sequential and diverging around the overall rate).
const bankParams: HeatmapParams = {
  x: { field: 'month', order: MONTHS },
  y: { field: 'job' },
  measure: { ratio: [{ agg: 'count', where: [{ field: 'y', op: 'eq', value: 'yes' }] }, { agg: 'count' }] },
};
const g3 = grid(root);
for (const [locale, theme, scheme] of [
  ['zh-CN', 'light', 'sequential'],
  ['en-US', 'light', 'diverging'],
  ['en-US', 'dark', 'sequential'],
  ['zh-CN', 'dark', 'diverging'],
] as const) {
  heatmaps.inCell(
    g3,
    `bank-full · ${locale} · ${theme} · ${scheme}`,
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
    dark(theme),
  );
}

// 4. Narrow, empty, partial, error.
const g4 = grid(root, 'row');
heatmaps.inCell(
  g4,
  '320px · zh-CN',
  { preset: 'contact-rate-weekday-hour', locale: 'zh-CN' },
  { engine },
  'narrow',
);
heatmaps.inCell(
  g4,
  '320px · en-US · bank',
  { source: 'bank', locale: 'en-US', heading: 'Conversion by job × month' },
  { engine, params: bankParams },
  'narrow',
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
heatmaps.inCell(states, 'empty · zh-CN', { locale: 'zh-CN', heading: '空状态' }, { result: empty });
heatmaps.inCell(
  states,
  'error (missing column) · en-US',
  { locale: 'en-US', source: 'bank', heading: 'Error state' },
  { engine, params: { x: { field: 'no_such_column' }, y: { field: 'job' } } },
);
heatmaps.inCell(
  states,
  'partial (filtered, rows excluded) · zh-CN',
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
);

// 5. Interaction: a selected column (clicked cell) and the keyboard path, the table view.
const g5 = grid(root);
const selected = heatmaps.inCell(
  g5,
  'selection · select-on="y" · en-US (Wednesday clicked)',
  { preset: 'contact-rate-weekday-hour', locale: 'en-US', 'select-on': 'y' },
  { engine },
);
heatmaps.inCell(
  g5,
  'table view (keyboard selection) · zh-CN',
  { preset: 'txn-weekday-hour', locale: 'zh-CN', view: 'table' },
  { engine },
);

const settled = (): Promise<void> =>
  heatmaps.settle((el) => {
    const s = el.renderState;
    if (s === 'empty' || s === 'error' || el.view === 'table') return s !== 'loading' && s !== 'idle';
    return (s === 'ok' || s === 'partial') && el.view_ !== null;
  });

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
  await until(() => !(selected.view_ === before || selected.view_ === null), 5000, 50);
}

// Ready when every element has drawn its view or settled in a non-chart state.
await settled();
markReady();
