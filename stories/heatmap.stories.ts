import type { Meta, StoryContext, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../components/heatmap/define.js';
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
  months,
  partial,
  quality,
  rng,
  sizeArgTypes,
  usage,
  widthArgTypes,
  DEFAULT_LABEL,
} from './support.js';

type Key = string | number;

/** A heatmap result over `xs × ys`; `value(x, y)` null leaves a no-data cell. */
function heat(
  xs: Key[],
  ys: Key[],
  value: (x: Key, y: Key, i: number) => number | null,
  b: Partial<MetricResult['basis']> & { title?: MetricResult['basis']['title'] } = {},
): MetricResult {
  const data: Array<Record<string, unknown>> = [];
  let i = 0;
  for (const y of ys) for (const x of xs) {
    const v = value(x, y, i++);
    data.push({ x, y, value: v, n: v === null ? 0 : 40 + (i % 17) * 3 });
  }
  return {
    data,
    basis: basis('heatmap', b.title ?? L('热力图', 'Heatmap'), b.formula ?? L('ratio(sum(contacted), count())', 'ratio(sum(contacted), count())'), { measure: 'ratio', ...b }),
    quality: quality(data.reduce((a, d) => a + (d['n'] as number), 0)),
    meta: { xDomain: xs, yDomain: ys },
  };
}

const HOURS = Array.from({ length: 24 }, (_, h) => h);
const DOWS = [1, 2, 3, 4, 5, 6, 7];
const r1 = rng(11);
/** Weekday × hour contact rate: higher in the evening, nights without calls (null). */
const CONTACT = heat(HOURS, DOWS, (h, d) => {
  if (Number(h) < 8 || Number(h) > 21) return null;
  const evening = Number(h) >= 18 ? 0.12 : 0;
  const weekend = Number(d) >= 6 ? 0.08 : 0;
  return Math.round((0.22 + evening + weekend + r1() * 0.1) * 1000) / 1000;
}, { title: L('接通率（星期 × 小时）', 'Contact rate (weekday × hour)'), options: { x: { field: 'action_time', part: 'hour' }, y: { field: 'action_time', part: 'dow' }, preset: 'contact-rate-weekday-hour' } });

const LONG_REGIONS = ['新疆维吾尔自治区乌鲁木齐市高新技术产业开发区', '内蒙古自治区呼和浩特市赛罕区', '广西壮族自治区南宁市青秀区', '西藏自治区拉萨市城关区', '宁夏回族自治区银川市金凤区'];
const r2 = rng(5);
const LONG = heat(months(8), LONG_REGIONS, () => Math.round(r2() * 0.08 * 10000) / 10000, {
  title: L('各地区 M1+ 逾期率（超长地区名称用于测试截断与换行）', 'M1+ overdue rate by region (long names)'),
  options: { x: { field: 'snapshot_date', part: 'month' }, y: { field: 'region' } },
});
const HUGE_TINY = heat(['消费贷', '经营贷', '信用卡分期', '房贷'], ['华东', '华南', '华北'], (x, y, i) => (i % 3 === 0 ? 1.234e12 * (i + 1) : i % 3 === 1 ? 0.0004 * i : 37), {
  title: L('放款余额（极大与极小值）', 'Outstanding (huge and tiny values)'),
  formula: L('sum(outstanding)', 'sum(outstanding)'),
  measure: 'sum',
  options: { x: { field: 'product' }, y: { field: 'region' } },
});
const ALL_NULL = heat(HOURS, DOWS, () => null, { title: L('接通率（全部无数据）', 'Contact rate (no data in any cell)'), options: { x: { field: 'action_time', part: 'hour' }, y: { field: 'action_time', part: 'dow' } } });
const SINGLE_ROW = heat(months(12), ['华东'], (_x, _y, i) => 0.01 + i * 0.002, {
  title: L('华东 M1+ 逾期率（单行）', 'East China M1+ overdue rate (one row)'),
  options: { x: { field: 'snapshot_date', part: 'month' }, y: { field: 'region' } },
});

const docs = `\`<fin-heatmap>\`: a measure over two dimensions (weekday × hour contact rate, region × month overdue rate, any two fields), drawn with Vega-Lite in CSP-safe interpreter mode. Sequential or diverging colour schemes from the theme tokens, hatched no-data cells (null is never drawn as 0), value labels when cells are large enough, a formatted legend (万/亿, %), localised axes and a text tooltip. Clicking a cell selects its column (or its row with \`select-on="y"\`) and emits \`fin-select\` with a filter clause on that dimension; the data-table view has a button per row for keyboard users.

Ready-made presets: \`contact-rate-weekday-hour\` (on \`collection_actions\`), \`overdue-region-month\` (on \`loan_months\`), \`txn-weekday-hour\` (on \`transactions\`).

${usage(`
<script type="module">import 'finboard/components/heatmap';</script>
<fin-heatmap preset="contact-rate-weekday-hour" heading="接通率"></fin-heatmap>

<!-- any two fields, any measure -->
<fin-heatmap id="mix" value-format="currency-compact" select-on="y"></fin-heatmap>
<script type="module">
  mix.engine = engine;   // shared engine (or .data = rows for a private one)
  mix.source = 'transactions';
  mix.params = { x: { field: 'direction' }, y: { field: 'channel' }, measure: { agg: 'sum', field: 'amount' } };
</script>`)}`;

const render = (args: Record<string, unknown>, ctx: StoryContext) => {
  const { theme, locale } = look(ctx);
  return box(
    args['width'],
    html`<fin-heatmap
      data-story=${ifDefined(marker(ctx))}
      .result=${(args['result'] as MetricResult | undefined) ?? null}
      .engine=${engineOf(ctx)}
      .params=${(args['params'] as Record<string, unknown> | undefined) ?? {}}
      source=${(args['source'] as string | undefined) ?? ''}
      heading=${args['heading'] ?? ''}
      group=${args['group'] ?? ''}
      widget-id=${args['widgetId'] ?? ''}
      preset=${args['preset'] ?? ''}
      scheme=${args['scheme']}
      value-format=${args['valueFormat'] ?? ''}
      show-labels=${args['showLabels']}
      .domainMid=${(args['domainMid'] as number | null | undefined) ?? null}
      ?reverse-scheme=${!!args['reverseScheme']}
      select-on=${args['selectOn']}
      x-title=${args['xTitle'] ?? ''}
      y-title=${args['yTitle'] ?? ''}
      view=${args['view']}
      theme=${theme}
      locale=${locale}
    ></fin-heatmap>`,
  );
};

const meta: Meta = {
  title: 'Elements/Heatmap',
  component: 'fin-heatmap',
  tags: ['autodocs'],
  parameters: { docs: { description: { component: docs } } },
  args: { heading: '', preset: 'contact-rate-weekday-hour', scheme: 'sequential', valueFormat: '', showLabels: 'auto', reverseScheme: false, selectOn: 'x', xTitle: '', yTitle: '', view: 'chart', width: 0 },
  argTypes: {
    preset: { control: { type: 'select', labels: DEFAULT_LABEL }, options: ['', 'contact-rate-weekday-hour', 'overdue-region-month', 'txn-weekday-hour'] },
    scheme: { control: 'inline-radio', options: ['sequential', 'diverging'] },
    valueFormat: { control: { type: 'select', labels: DEFAULT_LABEL }, options: ['', 'percent', 'count', 'compact', 'currency-compact', 'currency', 'number', 'days'] },
    showLabels: { control: 'inline-radio', options: ['auto', 'always', 'never'] },
    domainMid: { control: 'number' },
    selectOn: { control: 'inline-radio', options: ['x', 'y'] },
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

export const ContactRateWeekdayHour: Story = { ...sample };
export const OverdueRegionMonth: Story = { ...sample, args: { preset: 'overdue-region-month' } };
export const TransactionsWeekdayHour: Story = { ...sample, args: { preset: 'txn-weekday-hour', selectOn: 'y' } };
export const Diverging: Story = { ...sample, args: { preset: 'overdue-region-month', scheme: 'diverging', reverseScheme: true } };
export const AnyTwoFields: Story = {
  ...sample,
  args: {
    preset: '',
    heading: '渠道结构（金额）',
    source: 'transactions',
    params: { x: { field: 'direction' }, y: { field: 'channel' }, measure: { agg: 'sum', field: 'amount' } },
    valueFormat: 'currency-compact',
    selectOn: 'y',
    width: 520,
  },
};
export const TableView: Story = { ...sample, args: { view: 'table', width: 640 } };
export const DarkEnglish: Story = { ...sample, globals: { theme: 'dark', locale: 'en-US' }, args: { preset: 'overdue-region-month' } };
export const NarrowCard: Story = { ...sample, args: { width: 320 } };

// --- edge data (hand-made results) ---------------------------------------------------------------
export const HandMadeResult: Story = { args: { result: CONTACT, preset: '' } };
export const LongChineseLabels: Story = { args: { result: LONG, preset: '' } };
export const HugeAndTinyNumbers: Story = { args: { result: HUGE_TINY, preset: '', showLabels: 'always' } };
export const AllNullCells: Story = { args: { result: ALL_NULL, preset: '' } };
export const SingleRow: Story = { args: { result: SINGLE_ROW, preset: '' } };

// --- states ---------------------------------------------------------------------------------------
export const PartialData: Story = {
  args: { preset: '', result: partial(CONTACT, { missing_action_time: 84, unparseable_date: 9 }, L('9 月 14 日外呼系统故障，当日记录不完整。', 'The dialler was down on 14 Sep; that day is incomplete.')) },
};
export const Empty: Story = { args: { preset: '', result: emptyResult(CONTACT.basis, L('所选催收组没有外呼记录', 'No calls by the selected team')) } };
export const ErrorState: Story = { args: { preset: '', heading: '接通率', result: BROKEN_RESULT } };
export const EngineError: Story = { ...engineErrorStory, args: { heading: '接通率' } };
export const Loading: Story = { ...loadingStory, args: { heading: '接通率' } };
