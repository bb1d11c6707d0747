// Gallery of <fin-overdue-trend> on the seeded sample (engine in-thread) and on the real UCI
// credit-card default data (Taiwan, Apr–Sep 2005; datasets/taiwan_credit_default, gzip, mapped by
// src/data/real/taiwan.ts): every display in both locales and both themes, 320px instances, and
// the loading, empty, partial and error states. `body[data-ready]` is set once every element has
// drawn (or settled in a state). Text-only DOM building.
// When the data set cannot be read the page says so and shows the sample only.
import { TAIWAN, fetchGzText } from '../real-data.js';
import '../../components/overdue-trend/define.js';
import type { FinOverdueTrend } from '../../components/overdue-trend/overdue-trend.js';
import { parseTaiwanCsv } from '../../src/data/real/taiwan.js';
import { createEngine } from '../../src/engine/create.js';
import type { Engine } from '../../src/engine/engine-types.js';
import type { MetricResult } from '../../src/engine/types.js';
import { COMBOS, dark, grid, heading, markReady, never, page, Shelf, sleep } from './gallery.js';

const root = page();
const trends = new Shelf<FinOverdueTrend>('fin-overdue-trend');

const sample = createEngine();
await sample.loadSample({ customers: 800 });

let taiwan: Engine | null = createEngine();
try {
  const tw = parseTaiwanCsv(await fetchGzText(TAIWAN));
  await taiwan.load('loans', tw.loans);
  await taiwan.load('loan_months', tw.loan_months);
} catch (e) {
  taiwan = null;
  const p = document.createElement('p');
  p.textContent = `The Taiwan credit-card data could not be read: ${e instanceof Error ? e.message : String(e)}`;
  root.append(p);
}

/** Per display, the attributes each of the four theme × locale cells gets (variants shown side by side). */
const VARIANTS: Array<{ display: string; title: string; cells: Array<Record<string, string>> }> = [
  {
    display: 'buckets',
    title: '阶段趋势 buckets',
    cells: [{}, { 'chart-type': 'bar' }, { share: '' }, { 'exclude-current': 'false', share: '' }],
  },
  {
    display: 'rates',
    title: '逾期率 rates',
    cells: [
      { threshold: '2%' },
      { threshold: '2%', levels: '1,3,4' },
      { lag: '0', levels: '1,3,4' },
      { threshold: '0.015', lag: '1' },
    ],
  },
  { display: 'flows', title: '迁徙率 flows', cells: [{}, {}, {}, { measure: 'count' }] },
  {
    display: 'rollrate',
    title: '滚动率 rollrate',
    cells: [{}, { measure: 'amount' }, {}, { t0: '2026-06', t1: '2026-09' }],
  },
];

for (const v of VARIANTS) {
  heading(root, `样本数据 · ${v.title}`);
  const g = grid(root);
  COMBOS.forEach(([theme, locale], i) => {
    const attrs = { display: v.display, theme, locale, ...v.cells[i] };
    const label = Object.entries(attrs)
      .filter(([k]) => k !== 'theme' && k !== 'locale' && k !== 'display')
      .map(([k, val]) => (val === '' ? k : `${k}=${val}`))
      .join(' ');
    trends.inCell(
      g,
      `${theme} · ${locale} · ${v.display}${label ? ' · ' + label : ''}`,
      attrs,
      { engine: sample },
      dark(theme),
    );
  });
}

// The real data: the four displays, beside the sample.
heading(root, 'UCI credit-card default (Taiwan, 2005-04 … 2005-09) — real data');
const gt = grid(root);
for (const [display, theme, locale, extra] of !taiwan
  ? []
  : ([
      ['buckets', 'light', 'zh-CN', { 'chart-type': 'bar' }],
      ['rates', 'light', 'en-US', { threshold: '10%', levels: '1,3,4' }],
      ['flows', 'dark', 'zh-CN', {}],
      ['rollrate', 'dark', 'en-US', {}],
    ] as const)) {
  trends.inCell(
    gt,
    `Taiwan · ${theme} · ${locale} · ${display}`,
    { display, theme, locale, ...extra },
    { engine: taiwan! },
    dark(theme),
  );
}

// 320px instances of each display.
heading(root, '320px');
const gn = grid(root, 'row');
for (const display of ['buckets', 'rates', 'flows', 'rollrate']) {
  trends.inCell(
    gn,
    `320px · ${display}`,
    { display, locale: 'zh-CN', threshold: '2%' },
    { engine: sample },
    'narrow',
  );
}

// The data-table view (row headers are the keyboard selection buttons).
heading(root, '数据表视图 table view');
const gv = grid(root);
for (const [display, locale] of [
  ['rates', 'zh-CN'],
  ['rollrate', 'en-US'],
] as const) {
  trends.inCell(
    gv,
    `table · ${locale} · ${display}`,
    { display, locale, view: 'table', threshold: '2%' },
    { engine: sample },
  );
}

// States.
heading(root, '状态 states');
const gs = grid(root, 'row');
const basis = {
  metric: 'bucket_trend',
  title: { 'zh-CN': '逾期阶段趋势', 'en-US': 'DPD bucket trend' },
  formula: { 'zh-CN': 'value(b, t)', 'en-US': 'value(b, t)' },
  options: {},
  filters: [],
  exclusions: [],
};
const partial: MetricResult = {
  data: ['2024-01', '2024-02', '2024-03'].flatMap((month, mi) =>
    ['M0', 'M1', 'M2', 'M3+'].map((bucket, index) => ({
      month,
      bucket,
      index,
      value: [900, 40 + mi * 10, 20 + mi * 5, 8 + mi * 4][index]!,
      share: null,
      count: 1,
      outstanding: 1,
    })),
  ),
  basis: { ...basis, options: { edges: [0, 1, 31, 61], labels: ['M0', 'M1', 'M2', 'M3+'] } },
  quality: {
    rows: 20,
    used: 12,
    excluded: { missing_dpd: 5, closed: 3 },
    warnings: [{ 'zh-CN': '3 行快照日期无法解析', 'en-US': '3 rows had unparseable snapshot dates' }],
  },
};
for (const [title, attrs, props] of [
  ['loading（引擎未返回）', { locale: 'zh-CN' }, { engine: never }],
  [
    'empty（筛选无数据）',
    { locale: 'zh-CN' },
    {
      engine: sample,
      filters: [{ field: 'snapshot_date', op: 'range', value: ['1999-01-01', '1999-02-01'] }],
    },
  ],
  ['partial (quality warnings)', { locale: 'en-US' }, { result: partial }],
  ['error（结果与显示方式不符）', { locale: 'zh-CN', display: 'rollrate' }, { result: partial }],
  [
    'error (missing column)',
    { locale: 'en-US' },
    { data: [{ loan_id: 'a', snapshot_date: '2024-01-31', outstanding: 10 }] },
  ],
] as const) {
  const el = trends.inCell(gs, title, attrs as Record<string, string>, props as Partial<FinOverdueTrend>);
  if (attrs.locale === 'en-US' && title.startsWith('error')) el.heading = 'Overdue trend';
}

// Ready when every element has drawn or settled.
const settled = (el: FinOverdueTrend): boolean => {
  const s = el.renderState;
  if (s === 'ok' || s === 'partial') return el.view_ !== null;
  return s === 'empty' || s === 'error' || (s === 'loading' && el.engine === never);
};
await trends.settle(settled);
await sleep(300);
markReady();
