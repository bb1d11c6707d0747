import type { Meta, StoryContext, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../components/rfm/define.js';
import type { LocalText, MetricResult } from '../src/engine/types.js';
import {
  BROKEN_RESULT,
  L,
  basis,
  box,
  emptyResult,
  engineErrorStory,
  engineLoader,
  engineOf,
  loadingStory,
  look,
  marker,
  partial,
  quality,
  sizeArgTypes,
  usage,
  widthArgTypes,
} from './support.js';

const rfmBasis = basis('rfm', L('RFM 客户价值', 'RFM customer value'), L('R = T − 最后交易日（天）；F = 窗口内交易笔数；M = 窗口内金额合计；各按五分位打分 1–5', 'R = days from the last transaction to T; F = transactions in the window; M = Σ amount in the window; each scored 1–5 by quintiles'), {
  measure: 'count',
  asOf: '2026-10-31',
  options: { asOf: '2026-10-31', windowDays: 365, scheme: 'cn8', monetary: 'sum' },
});

type Seg = [id: string, label: LocalText, customers: number, monetary: number, r: number, f: number, m: number];

/** An RFM result from segment rows `[id, label, customers, Σ monetary, mean R, F, M scores]`. */
function rfm(segs: Seg[], scheme: 'cn8' | 'rf10' = 'cn8'): MetricResult {
  const total = segs.reduce((a, s) => a + s[2], 0);
  const data = segs.map(([segment, label, customers, monetary, meanR, meanF, meanM]) => ({
    segment,
    label,
    customers,
    share: total ? customers / total : 0,
    monetary,
    meanR,
    meanF,
    meanM,
    meanRecencyDays: Math.round((6 - meanR) * 9 * 10) / 10,
    meanFrequency: Math.round(meanF * 22 * 10) / 10,
    meanMonetary: customers ? monetary / customers : null,
  }));
  const grid = [];
  for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) grid.push({ r, f, customers: Math.round((total / 25) * (0.5 + ((r * 7 + f * 3) % 5) / 4)) });
  return {
    data,
    basis: { ...rfmBasis, options: { ...rfmBasis.options, scheme } },
    quality: quality(total * 60),
    meta: { asOf: '2026-10-31', windowDays: 365, scored: total, excluded: 0, grid, segments: segs.map((s) => s[0]), thresholds: { R: 3.1, F: 2.98, M: 3 } },
  };
}

const CN8: Seg[] = [
  ['important_value', L('重要价值客户', 'Important value'), 740, 811_760_106, 4.6, 4.5, 4.5],
  ['important_develop', L('重要发展客户', 'Important develop'), 52, 34_761_409, 4.4, 2, 4.4],
  ['important_retain', L('重要保持客户', 'Important retain'), 530, 707_714_436, 2.3, 3.9, 4.5],
  ['important_winback', L('重要挽留客户', 'Important win-back'), 210, 180_300_000, 1.8, 1.9, 4.1],
  ['general_value', L('一般价值客户', 'General value'), 320, 42_000_000, 4.2, 4.1, 1.9],
  ['general_develop', L('一般发展客户', 'General develop'), 610, 38_500_000, 4.5, 1.6, 1.5],
  ['general_retain', L('一般保持客户', 'General retain'), 280, 21_900_000, 1.9, 3.8, 1.8],
  ['general_winback', L('一般挽留客户', 'General win-back'), 1090, 19_400_000, 1.4, 1.3, 1.2],
];
const BASIC = rfm(CN8);
const LONG = rfm([
  ['important_value', L('重要价值客户（近三个月有理财购买且日均资产超过五十万元的高净值客户）', 'Important value (high-net-worth customers with wealth purchases in the last three months)'), 740, 811_760_106, 4.6, 4.5, 4.5],
  ['general_develop', L('一般发展客户（仅开通手机银行、尚未办理任何贷款或理财产品）', 'General develop (mobile banking only, no loan or wealth product yet)'), 610, 38_500_000, 4.5, 1.6, 1.5],
  ['general_winback', L('一般挽留客户（超过半年未发生任何主动交易）', 'General win-back (no active transaction for over six months)'), 1090, 19_400_000, 1.4, 1.3, 1.2],
]);
const HUGE_TINY = rfm([
  ['important_value', L('重要价值客户', 'Important value'), 3, 9.87e12, 5, 5, 5],
  ['important_retain', L('重要保持客户', 'Important retain'), 1_250_000, 4.2e11, 2.2, 4, 4.4],
  ['general_develop', L('一般发展客户', 'General develop'), 1, 0.01, 4.5, 1, 1],
  ['general_winback', L('一般挽留客户', 'General win-back'), 48_000_000, 12.5, 1, 1, 1],
]);
const SINGLE = rfm([['important_value', L('重要价值客户', 'Important value'), 1, 250_000, 5, 5, 5]]);

const docs = `\`<fin-rfm>\`: RFM customer value (客户价值). Customers are scored 1–5 on recency, frequency and monetary value and grouped into segments — the Chinese eight-segment scheme (\`cn8\`: 重要价值客户 … 一般挽留客户), the ten R × F segments (\`rf10\`: champions … hibernating) or custom rules (\`params.rules\`).

Displays: \`overview\` (bars, or a treemap with \`overview="treemap"\`), \`grid\` (the 5 × 5 R × F heatmap) and \`table\` (per-segment averages). Selecting a segment emits \`fin-select\` with \`{ field: 'rfm_segment', op: 'eq', value }\` and lists its customers (masked at ingestion) under the chart.

${usage(`
<script type="module">import 'finboard/components/rfm';</script>
<fin-rfm scheme="rf10" display="grid" heading="RFM 客户分层"></fin-rfm>
<script type="module">
  const el = document.querySelector('fin-rfm');
  el.data = transactions;           // rows: customer_id, txn_time, amount, direction …
  el.params = { windowDays: 365 };  // asOf defaults to the last transaction date
  el.addEventListener('fin-select', (e) => console.log(e.detail.label));
</script>`)}`;

const render = (args: Record<string, unknown>, ctx: StoryContext) => {
  const { theme, locale } = look(ctx);
  return box(
    args['width'],
    html`<fin-rfm
      data-story=${ifDefined(marker(ctx))}
      .result=${(args['result'] as MetricResult | undefined) ?? null}
      .engine=${engineOf(ctx)}
      .params=${(args['params'] as Record<string, unknown> | undefined) ?? {}}
      heading=${args['heading'] ?? ''}
      metric=${args['metric'] ?? ''}
      source=${args['source'] ?? ''}
      group=${args['group'] ?? ''}
      widget-id=${args['widgetId'] ?? ''}
      scheme=${args['scheme']}
      display=${args['display']}
      overview=${args['overview']}
      size-by=${args['sizeBy']}
      list-limit=${args['listLimit']}
      ?hide-controls=${!!args['hideControls']}
      view=${args['view']}
      theme=${theme}
      locale=${locale}
    ></fin-rfm>`,
  );
};

const meta: Meta = {
  title: 'Elements/RFM',
  component: 'fin-rfm',
  tags: ['autodocs'],
  parameters: { docs: { description: { component: docs } } },
  args: { heading: '', scheme: 'cn8', display: 'overview', overview: 'bar', sizeBy: 'customers', listLimit: 50, hideControls: false, view: 'chart', width: 0 },
  argTypes: {
    scheme: { control: 'inline-radio', options: ['cn8', 'rf10'] },
    display: { control: 'inline-radio', options: ['overview', 'grid', 'table'] },
    overview: { control: 'inline-radio', options: ['bar', 'treemap'] },
    sizeBy: { control: 'inline-radio', options: ['customers', 'monetary'] },
    listLimit: { control: { type: 'number', min: 0, max: 500 } },
    hideControls: { control: 'boolean' },
    view: { control: 'inline-radio', options: ['chart', 'table'] },
    result: { control: false },
    params: { control: 'object' },
    ...widthArgTypes,
  },
  render,
};
export default meta;
type Story = StoryObj;

// --- main variants on the seeded sample ---------------------------------------------------------
const sample = { loaders: [engineLoader], argTypes: sizeArgTypes };

export const OverviewBars: Story = { ...sample };
export const Treemap: Story = { ...sample, args: { overview: 'treemap', sizeBy: 'monetary' } };
export const GridRf10: Story = { ...sample, args: { scheme: 'rf10', display: 'grid' } };
export const GridCn8: Story = { ...sample, args: { display: 'grid' } };
export const SegmentTable: Story = { ...sample, args: { display: 'table', scheme: 'rf10' } };
export const DarkEnglish: Story = { ...sample, globals: { theme: 'dark', locale: 'en-US' }, args: { scheme: 'rf10', display: 'grid' } };
export const NarrowCard: Story = { ...sample, args: { width: 320 } };

// --- edge data (hand-made results) ---------------------------------------------------------------
export const HandMadeResult: Story = { args: { result: BASIC } };
export const LongChineseLabels: Story = { args: { result: LONG } };
export const HugeAndTinyNumbers: Story = { args: { result: HUGE_TINY, display: 'table' } };
export const SingleCustomer: Story = { args: { result: SINGLE, width: 480 } };

// --- states ---------------------------------------------------------------------------------------
export const PartialData: Story = {
  args: { result: partial(BASIC, { missing_customer: 52, missing_amount: 17 }, L('10 月 1–3 日的第三方支付流水尚未入仓。', 'Third-party payment records for 1–3 Oct have not landed yet.')) },
};
export const Empty: Story = { args: { result: emptyResult(rfmBasis, L('窗口内没有交易', 'No transactions in the window')) } };
export const ErrorState: Story = { args: { heading: 'RFM 客户分层', result: BROKEN_RESULT } };
export const EngineError: Story = { ...engineErrorStory, args: { heading: 'RFM 客户分层' } };
export const Loading: Story = { ...loadingStory, args: { heading: 'RFM 客户分层' } };
