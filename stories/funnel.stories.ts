import type { Meta, StoryContext, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../components/funnel/define.js';
import type { MetricResult } from '../src/engine/types.js';
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
  DEFAULT_LABEL,
} from './support.js';

const funnelBasis = basis('funnel', L('贷款申请漏斗', 'Loan application funnel'), L('各阶段去重人数 n_k；步转化 n_k / n_{k−1}；总转化 n_k / n_1', 'Distinct entities per stage n_k; step conversion n_k / n_{k−1}; overall n_k / n_1'), {
  numerator: L('到达第 k 阶段的去重实体数', 'Distinct entities reaching stage k'),
  denominator: L('上一阶段（或第 1 阶段）的实体数', 'Entities at the previous (or first) stage'),
  measure: 'count',
  options: { mode: 'strict' },
});

/** A funnel result from `[stage, count, median hours from the previous stage]`. */
function funnel(stages: Array<[string, number, number | null]>, extra: Partial<MetricResult> = {}): MetricResult {
  const first = stages[0]?.[1] ?? 0;
  const data = stages.map(([stage, count, medianHours], i) => {
    const prev = i > 0 ? stages[i - 1]![1] : null;
    return {
      stage,
      step: i + 1,
      count,
      stepConversion: prev === null ? null : prev > 0 ? count / prev : null,
      overallConversion: first > 0 ? count / first : null,
      dropOff: prev === null ? null : prev - count,
      medianHours,
    };
  });
  return { data, basis: funnelBasis, quality: quality(stages.reduce((a, s) => a + s[1], 0)), meta: { stages: stages.map((s) => s[0]), mode: 'strict' }, ...extra };
}

const LONG = funnel([
  ['营销短信触达（含App推送及微信公众号模板消息）', 128450, null],
  ['点击落地页并完成手机号验证', 40210, 0.4],
  ['提交贷款申请资料并完成人脸识别认证', 9120, 26],
  ['授信审批通过', 4010, 3.2],
  ['首笔提款', 2890, 70],
]);
const HUGE_TINY = funnel([
  ['曝光', 1_234_567_890, null],
  ['点击', 98_765_432, 0.01],
  ['注册', 1_234_567, 0.2],
  ['申请', 12, 48],
  ['审批通过', 3, 5],
  ['放款', 0, null],
]);
const SINGLE = funnel([['曝光', 52_000, null]]);
const BASIC = funnel([
  ['曝光', 2000, null],
  ['点击', 682, 0.011],
  ['注册', 392, 0.085],
  ['申请', 252, 7.04],
  ['审批通过', 132, 0.47],
  ['放款', 110, 4.01],
]);

const docs = `\`<fin-funnel>\`: a conversion funnel (d3 into SVG) with drop-off trapezoids, step and overall conversions, the median time between stages and the acquisition cost (CAC) when the result carries spend. With a \`breakdown\`, groups are drawn side by side per stage (\`grouped\`) or as small multiples. Selecting a stage (click, Enter / Space) emits \`fin-select\` with \`{ field: 'stage', op: 'eq', value }\`.

Analytic use — computes on the engine from the \`funnel_events\` dataset:

${usage(`
<script type="module">import 'finboard/components/funnel';</script>
<fin-funnel heading="获客漏斗" breakdown="channel" breakdown-layout="small-multiples"></fin-funnel>
<script type="module">
  const el = document.querySelector('fin-funnel');
  el.data = funnelEvents;   // rows: user_id, stage, event_time, channel …
  el.stages = ['曝光', '点击', '注册', '申请', '审批通过', '放款'];
  el.addEventListener('fin-select', (e) => console.log(e.detail.clause));
</script>`)}

Presentational use — a result computed elsewhere (e.g. on the host's server):

${usage(`
<fin-funnel id="f"></fin-funnel>
<script type="module">
  f.result = { data: [{ stage: '曝光', step: 1, count: 2000, stepConversion: null, overallConversion: 1, dropOff: null, medianHours: null }, …],
               basis: { metric: 'funnel', title: {…}, formula: {…}, options: {}, filters: [], exclusions: [] },
               quality: { rows: 2000, used: 2000, excluded: {}, warnings: [] } };
</script>`)}`;

const render = (args: Record<string, unknown>, ctx: StoryContext) => {
  const { theme, locale } = look(ctx);
  return box(
    args['width'],
    html`<fin-funnel
      data-story=${ifDefined(marker(ctx))}
      .result=${(args['result'] as MetricResult | undefined) ?? null}
      .engine=${engineOf(ctx)}
      heading=${args['heading'] ?? ''}
      metric=${args['metric'] ?? ''}
      source=${args['source'] ?? ''}
      group=${args['group'] ?? ''}
      widget-id=${args['widgetId'] ?? ''}
      orientation=${args['orientation']}
      mode=${args['mode'] ?? ''}
      breakdown=${args['breakdown'] ?? ''}
      breakdown-layout=${args['breakdownLayout']}
      digits=${args['digits']}
      chart-height=${args['chartHeight']}
      .windowDays=${(args['windowDays'] as number | null | undefined) ?? null}
      view=${args['view']}
      theme=${theme}
      locale=${locale}
    ></fin-funnel>`,
  );
};

const meta: Meta = {
  title: 'Elements/Funnel',
  component: 'fin-funnel',
  tags: ['autodocs'],
  parameters: { docs: { description: { component: docs } } },
  args: { heading: '', orientation: 'horizontal', mode: '', breakdown: '', breakdownLayout: 'grouped', digits: 1, chartHeight: 0, view: 'chart', width: 0 },
  argTypes: {
    orientation: { control: 'inline-radio', options: ['horizontal', 'vertical'] },
    mode: { control: { type: 'inline-radio', labels: DEFAULT_LABEL }, options: ['', 'strict', 'loose'] },
    breakdown: { control: { type: 'select', labels: DEFAULT_LABEL }, options: ['', 'channel', 'campaign'] },
    breakdownLayout: { control: 'inline-radio', options: ['grouped', 'small-multiples'] },
    digits: { control: { type: 'number', min: 0, max: 4 } },
    chartHeight: { control: { type: 'number', min: 0, max: 800, step: 20 } },
    windowDays: { control: { type: 'number', min: 1, max: 365 } },
    view: { control: 'inline-radio', options: ['chart', 'table'] },
    result: { control: false },
    ...widthArgTypes,
  },
  render,
};
export default meta;
type Story = StoryObj;

// --- main variants on the seeded sample ---------------------------------------------------------
const sample = { loaders: [engineLoader], argTypes: sizeArgTypes };

export const Default: Story = { ...sample };
export const Vertical: Story = { ...sample, args: { orientation: 'vertical', width: 560 } };
export const LooseMode: Story = { ...sample, args: { mode: 'loose' } };
export const BreakdownGrouped: Story = { ...sample, args: { breakdown: 'channel' } };
export const BreakdownSmallMultiples: Story = { ...sample, args: { breakdown: 'channel', breakdownLayout: 'small-multiples' } };
export const TableView: Story = { ...sample, args: { view: 'table' } };
export const DarkEnglish: Story = { ...sample, globals: { theme: 'dark', locale: 'en-US' }, args: { breakdown: 'channel' } };
export const NarrowCard: Story = { ...sample, args: { width: 320 } };

// --- edge data (hand-made results) ---------------------------------------------------------------
export const LongChineseLabels: Story = { args: { result: LONG, width: 720 } };
export const HugeAndTinyNumbers: Story = { args: { result: HUGE_TINY } };
export const SingleStage: Story = { args: { result: SINGLE, width: 480 } };

// --- states ---------------------------------------------------------------------------------------
export const PartialData: Story = {
  args: { result: partial(BASIC, { missing_time: 36, unknown_stage: 12 }, L('3 月有两天的埋点数据缺失。', 'Two days of March tracking events are missing.')) },
};
export const Empty: Story = { args: { result: emptyResult(funnelBasis, L('所选渠道没有漏斗事件', 'No funnel events for the selected channel')) } };
export const ErrorState: Story = { args: { heading: '获客漏斗', result: BROKEN_RESULT } };
export const EngineError: Story = { ...engineErrorStory, args: { heading: '获客漏斗' } };
export const Loading: Story = { ...loadingStory, args: { heading: '获客漏斗' } };
