// Gallery of <fin-rfm> on the seeded sample (engine in-thread, 800 customers): both locales, both
// themes, every display (bars, treemap, R × F grid for cn8 and rf10, segment table), a selected
// segment with its customer list, a 320px instance, and the empty, partial and error states.
// `body[data-ready]` is set once every element has drawn (or settled in a state). Text-only DOM.
import '../../components/rfm/define.js';
import type { FinRfm } from '../../components/rfm/rfm.js';
import { createEngine } from '../../src/engine/create.js';
import type { MetricResult } from '../../src/engine/types.js';
import { COMBOS, dark, grid, markReady, page, Shelf, until } from './gallery.js';

const root = page();
const rfms = new Shelf<FinRfm>('fin-rfm');

const engine = createEngine();
await engine.loadSample({ customers: 800 });

// 1. Overview bars (cn8) in the four theme × locale combinations.
const g1 = grid(root);
for (const [theme, locale] of COMBOS) {
  rfms.inCell(g1, `${theme} · ${locale} · cn8 · overview bars`, { theme, locale }, { engine }, dark(theme));
}

// 2. R × F grids: rf10 (segment regions) and cn8 (quadrants at the mean scores), both themes.
const g2 = grid(root);
for (const [theme, locale, scheme] of [
  ['light', 'zh-CN', 'rf10'],
  ['dark', 'en-US', 'rf10'],
  ['light', 'en-US', 'cn8'],
  ['dark', 'zh-CN', 'cn8'],
] as const) {
  rfms.inCell(
    g2,
    `${theme} · ${locale} · ${scheme} · grid`,
    { theme, locale, scheme, display: 'grid' },
    { engine },
    dark(theme),
  );
}

// 3. Treemaps and the segment table; one with a selected segment and its customer list.
const g3 = grid(root);
for (const [theme, locale, scheme, display, extra] of [
  ['light', 'zh-CN', 'cn8', 'overview', { overview: 'treemap' }],
  ['dark', 'en-US', 'rf10', 'overview', { overview: 'treemap' }],
  ['light', 'en-US', 'rf10', 'table', {}],
  ['dark', 'zh-CN', 'cn8', 'table', {}],
] as const) {
  rfms.inCell(
    g3,
    `${theme} · ${locale} · ${scheme} · ${display}${'overview' in extra ? ' · treemap' : ''}`,
    { theme, locale, scheme, display, ...extra },
    { engine },
    dark(theme),
  );
}

const g4 = grid(root);
const selected = rfms.inCell(
  g4,
  'light · zh-CN · rf10 · selected “有流失风险” → customer list (first 50)',
  { locale: 'zh-CN', scheme: 'rf10' },
  { engine },
);
const selected2 = rfms.inCell(
  g4,
  'dark · en-US · cn8 grid · quadrant selected (important + general value)',
  { locale: 'en-US', theme: 'dark', display: 'grid' },
  { engine },
  'dark',
);

// 4. Narrow, empty, partial, error.
const g5 = grid(root, 'row');
rfms.inCell(g5, '320px · zh-CN · bars', { locale: 'zh-CN' }, { engine }, 'narrow');
rfms.inCell(
  g5,
  '320px · en-US · rf10 grid',
  { locale: 'en-US', scheme: 'rf10', display: 'grid' },
  { engine },
  'narrow',
);
rfms.inCell(g5, '320px · en-US · treemap', { locale: 'en-US', overview: 'treemap' }, { engine }, 'narrow');

const states = document.createElement('div');
states.style.display = 'grid';
states.style.gap = '16px';
g5.append(states);
const basis = {
  metric: 'rfm',
  title: { 'zh-CN': 'RFM 客户价值', 'en-US': 'RFM customer value' },
  formula: { 'zh-CN': '—', 'en-US': '—' },
  options: { scheme: 'cn8' },
  filters: [],
  exclusions: [],
};
const empty: MetricResult = {
  data: [],
  basis,
  quality: { rows: 0, used: 0, excluded: {}, warnings: [] },
  empty: { 'zh-CN': '所选范围内没有数据', 'en-US': 'No data in the selected range' },
};
rfms.inCell(states, 'empty · zh-CN', { locale: 'zh-CN', heading: '空状态' }, { result: empty });
rfms.inCell(
  states,
  'error (missing column) · en-US',
  { locale: 'en-US', heading: 'Error state' },
  { engine, params: { amountField: 'no_such_column' } },
);
const t = (zh: string, en: string): { 'zh-CN': string; 'en-US': string } => ({ 'zh-CN': zh, 'en-US': en });
rfms.inCell(
  states,
  'partial (rows excluded, warning) · zh-CN',
  { locale: 'zh-CN', heading: '部分数据（示例）' },
  {
    result: {
      data: [
        {
          segment: 'important_value',
          label: t('重要价值客户', 'Important value'),
          customers: 12,
          share: 0.4,
          monetary: 1.2e6,
          meanR: 4.6,
          meanF: 4.4,
          meanM: 4.7,
          meanRecencyDays: 2,
          meanFrequency: 60,
          meanMonetary: 1e5,
        },
        {
          segment: 'general_develop',
          label: t('一般发展客户', 'General develop'),
          customers: 10,
          share: 0.3333,
          monetary: 2.1e5,
          meanR: 4.1,
          meanF: 1.6,
          meanM: 1.8,
          meanRecencyDays: 3,
          meanFrequency: 12,
          meanMonetary: 2.1e4,
        },
        {
          segment: 'general_winback',
          label: t('一般挽留客户', 'General win-back'),
          customers: 8,
          share: 0.2667,
          monetary: 9.5e4,
          meanR: 1.5,
          meanF: 1.4,
          meanM: 1.5,
          meanRecencyDays: 80,
          meanFrequency: 8,
          meanMonetary: 1.2e4,
        },
      ],
      basis,
      quality: {
        rows: 1520,
        used: 1480,
        excluded: { missing_date: 25, missing_amount: 15 },
        warnings: [t('部分交易缺少客户号，已忽略', 'Some transactions have no customer id and were ignored')],
      },
      meta: { asOf: '2024-12-31', windowDays: 365, scored: 30, excluded: 4 },
    },
  },
);

// 5. Edge data: very long labels, huge and tiny numbers, a single customer.
const edge = (rows: Array<[string, string, string, number, number]>, scheme = 'cn8'): MetricResult => {
  const total = rows.reduce((a, r) => a + r[3], 0);
  return {
    data: rows.map(([segment, zh, en, customers, monetary]) => ({
      segment,
      label: t(zh, en),
      customers,
      share: customers / total,
      monetary,
      meanR: 3,
      meanF: 3,
      meanM: 3,
      meanRecencyDays: 12.5,
      meanFrequency: 20,
      meanMonetary: monetary / customers,
    })),
    basis: { ...basis, options: { scheme } },
    quality: { rows: 1000, used: 1000, excluded: {}, warnings: [] },
    meta: {
      asOf: '2026-10-31',
      windowDays: 365,
      scored: total,
      excluded: 0,
      thresholds: { R: 3.1, F: 2.98, M: 3 },
      grid: Array.from({ length: 25 }, (_, g) => ({
        r: Math.floor(g / 5) + 1,
        f: (g % 5) + 1,
        customers: Math.round(total / 25),
      })),
    },
  };
};
/** Segments with very long labels. */
const LONG_LABELS: Array<[string, string, string, number, number]> = [
  [
    'important_value',
    '重要价值客户（近三个月有理财购买且日均资产超过五十万元的高净值客户）',
    'Important value (high-net-worth customers with wealth purchases in the last three months)',
    740,
    811_760_106,
  ],
  [
    'general_develop',
    '一般发展客户（仅开通手机银行、尚未办理任何贷款或理财产品）',
    'General develop (mobile banking only, no loan or wealth product yet)',
    610,
    38_500_000,
  ],
  [
    'general_winback',
    '一般挽留客户（超过半年未发生任何主动交易）',
    'General win-back (no active transaction for over six months)',
    1090,
    19_400_000,
  ],
];
const g6 = grid(root);
for (const [title, locale, result, extra] of [
  ['long labels · zh-CN', 'zh-CN', edge(LONG_LABELS), {}],
  ['long labels · en-US · treemap', 'en-US', edge(LONG_LABELS), { overview: 'treemap' }],
  [
    'huge and tiny numbers · en-US',
    'en-US',
    edge([
      ['important_value', '重要价值客户', 'Important value', 3, 9.87e12],
      ['important_retain', '重要保持客户', 'Important retain', 1_250_000, 4.2e11],
      ['general_develop', '一般发展客户', 'General develop', 1, 0.01],
      ['general_winback', '一般挽留客户', 'General win-back', 48_000_000, 12.5],
    ]),
    {},
  ],
  [
    'single customer · zh-CN · grid',
    'zh-CN',
    edge([['important_value', '重要价值客户', 'Important value', 1, 250_000]]),
    { display: 'grid' },
  ],
] as const) {
  rfms.inCell(g6, title, { locale, ...extra }, { result });
}

// Ready when every element has drawn its view or settled in a non-chart state.
const settle = (): Promise<void> =>
  rfms.settle((el) => {
    const s = el.renderState;
    if (s === 'empty' || s === 'error') return true;
    return (s === 'ok' || s === 'partial') && (el.display === 'table' || el.view_ !== null);
  });
await settle();
selected.selectSegment('at_risk');
selected2.selectSegments(['important_value', 'general_value']);
await settle();
// The customer lists load through the engine: wait for them too.
await until(
  () => [selected, selected2].every((el) => !!el.shadowRoot!.querySelector('[part="customers"] table')),
  10000,
);
markReady();
