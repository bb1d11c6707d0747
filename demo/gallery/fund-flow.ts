// Gallery of <fin-fund-flow> on the seeded sample (engine in-thread): the sankey, trend and alerts
// displays in both locales and both themes, 320px instances, and the loading, empty, partial and
// error states. `body[data-ready]` is set once every element has drawn (or settled in a state).
// Text-only DOM building.
import '../../components/fund-flow/define.js';
import type { FinFundFlow } from '../../components/fund-flow/fund-flow.js';
import { createEngine } from '../../src/engine/create.js';
import type { MetricResult } from '../../src/engine/types.js';
import { attrList, COMBOS, dark, grid, heading, markReady, never, page, Shelf, sleep } from './gallery.js';

const root = page();
const flows = new Shelf<FinFundFlow>('fin-fund-flow');

const sample = createEngine();
await sample.loadSample({ customers: 800 });

const VARIANTS: Array<{ display: string; title: string; cells: Array<Record<string, string>> }> = [
  { display: 'sankey', title: '资金流向桑基图 sankey', cells: [{}, {}, {}, { top: '4' }] },
  {
    display: 'trend',
    title: '净流入趋势 trend',
    cells: [{}, { 'show-flows': '' }, { 'color-convention': 'cn' }, { by: 'counterparty_type' }],
  },
  { display: 'alerts', title: '大额与可疑交易 alerts', cells: [{}, {}, { 'sort-by': 'amount' }, {}] },
];

for (const v of VARIANTS) {
  heading(root, v.title);
  const g = grid(root);
  COMBOS.forEach(([theme, locale], i) => {
    const extra = v.cells[i] ?? {};
    flows.inCell(
      g,
      `${theme} ${locale}${Object.keys(extra).length ? ' · ' + attrList(extra) : ''}`,
      { display: v.display, theme, locale, ...extra },
      { engine: sample },
      dark(theme),
    );
  });
}

heading(root, '宽幅 wide: middle=region top=10 · unit=week show-flows');
const gw = grid(root);
for (const [attrs, locale] of [
  [{ display: 'sankey', middle: 'region', top: '10' }, 'zh-CN'],
  [{ display: 'trend', unit: 'week', 'show-flows': '' }, 'en-US'],
] as const) {
  flows.inCell(gw, `${attrList(attrs)} · ${locale}`, { ...attrs, locale }, { engine: sample });
}

heading(root, '320px');
const gn = grid(root, 'row');
for (const [display, locale, theme] of [
  ['sankey', 'zh-CN', 'light'],
  ['sankey', 'en-US', 'dark'],
  ['trend', 'zh-CN', 'light'],
  ['alerts', 'en-US', 'light'],
] as const) {
  flows.inCell(
    gn,
    `${display} ${locale} 320px`,
    { display, locale, theme },
    { engine: sample },
    `narrow ${dark(theme)}`,
  );
}

heading(root, 'States 状态');
const gs = grid(root);
const basis = {
  metric: 'sankey',
  title: { 'zh-CN': '资金流向桑基图', 'en-US': 'Fund-flow sankey' },
  formula: { 'zh-CN': '流入 → 客户 → 流出', 'en-US': 'inflow → customers → outflow' },
  options: {},
  filters: [],
  exclusions: [],
};
const partial: MetricResult = {
  data: [
    { source: 'in:工资', target: 'mid:__all__', value: 800000 },
    { source: 'in:__other__', target: 'mid:__all__', value: 120000 },
    { source: 'mid:__all__', target: 'out:消费', value: 500000 },
    { source: 'mid:__all__', target: 'out:贷款还款', value: 300000 },
  ],
  basis: { ...basis, options: { middle: null } },
  quality: {
    rows: 100,
    used: 93,
    excluded: { invalid_amount_or_direction: 7 },
    warnings: [
      {
        'zh-CN': '无法取得客户维度 segment（客户表未加载？），中间层合并为一个节点。',
        'en-US':
          'The customer dimension segment is not available (customers not loaded?); the middle is one node.',
      },
    ],
  },
};
for (const [title, attrs, props] of [
  ['loading（引擎未返回）', { locale: 'zh-CN' }, { engine: never }],
  [
    'empty（筛选无数据）',
    { locale: 'zh-CN', display: 'trend' },
    { engine: sample, filters: [{ field: 'txn_time', op: 'range', value: ['1999-01-01', '1999-02-01'] }] },
  ],
  ['partial (quality warnings)', { locale: 'en-US' }, { result: partial }],
  ['error（结果与显示方式不符）', { locale: 'zh-CN', display: 'alerts' }, { result: partial }],
  [
    'error (missing column)',
    { locale: 'en-US', display: 'trend' },
    { data: [{ txn_id: 't1', customer_id: 'c1', txn_time: '2024-01-03', amount: 10 }] },
  ],
  [
    'empty alerts（无预警）',
    { locale: 'zh-CN', display: 'alerts' },
    { engine: sample, filters: [{ field: 'amount', op: 'range', value: [0, 10] }] },
  ],
] as const) {
  flows.inCell(gs, title, attrs as Record<string, string>, props as Partial<FinFundFlow>);
}

// Ready when every element has drawn or settled.
const settled = (el: FinFundFlow): boolean => {
  const s = el.renderState;
  if (s === 'ok' || s === 'partial') {
    const r = el.shadowRoot;
    if (el.displayMode === 'trend') return el.view_ !== null;
    if (el.displayMode === 'sankey') return !!r?.querySelector('svg[part=sankey]');
    return true;
  }
  return s === 'empty' || s === 'error' || (s === 'loading' && el.engine === never);
};
await flows.settle(settled);
await sleep(300);
markReady();
