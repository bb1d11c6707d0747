import type { Meta, StoryContext, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../components/table/define.js';
import type { TableColumn } from '../components/table/table.js';
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
} from './support.js';

const COLLECTOR_COLUMNS: TableColumn[] = [
  { key: 'collector', label: L('催收员', 'Collector') },
  { key: 'team', label: L('组别', 'Team') },
  { key: 'cases', label: L('案件数', 'Cases'), format: 'count' },
  { key: 'penetration', label: L('人均触达', 'Actions/case'), format: 'number' },
  { key: 'connectRate', label: L('接通率', 'Connect rate'), format: 'percent' },
  { key: 'ptpRate', label: L('承诺率', 'PTP rate'), format: 'percent' },
  { key: 'ptpKeptRate', label: L('履约率', 'PTP kept'), format: 'percent' },
  { key: 'recovered', label: L('催回金额', 'Recovered'), format: 'currency-compact', bar: true },
  { key: 'recoveryRate', label: L('回收率', 'Recovery rate'), format: 'percent' },
];
const CHANNEL_COLUMNS: TableColumn[] = [
  { key: 'channel', label: L('渠道', 'Channel') },
  { key: 'actions', label: L('行动次数', 'Actions'), format: 'count' },
  { key: 'contactRate', label: L('接通率', 'Contact rate'), format: 'percent' },
  { key: 'ptpRate', label: L('承诺率', 'PTP rate'), format: 'percent' },
  { key: 'recovered', label: L('催回金额', 'Recovered'), format: 'currency-compact', bar: true },
  { key: 'costPer100', label: L('每百元回款成本', 'Cost per ¥100'), format: 'currency' },
];
const CHURN_COLUMNS: TableColumn[] = [
  { key: 'month', label: L('月份', 'Month'), format: 'period' },
  { key: 'activeAtStart', label: L('月初活跃', 'Active at start'), format: 'count' },
  { key: 'churned', label: L('流失', 'Churned'), format: 'count' },
  { key: 'rate', label: L('流失率', 'Churn rate'), format: 'percent', bar: true },
];

const perfBasis = basis('collector_performance', L('催收员绩效', 'Collector performance'), L('覆盖率 = 有行动案件 / 已分配案件；接通率 = 电话接通 / 电话行动；PTP 率 = PTP / 接触；回收率 = Σ paid_amount / 逾期在催余额', 'coverage = cases with an action / cases assigned; connect rate = connected / phone actions; PTP rate = PTPs / contacts; recovery = Σ paid_amount / overdue outstanding'));

type Row = [collector: string, team: string, cases: number | null, penetration: number | null, connect: number | null, ptp: number | null, kept: number | null, recovered: number | null, recovery: number | null];
function perf(rows: Row[]): MetricResult {
  const data = rows.map(([collector, team, cases, penetration, connectRate, ptpRate, ptpKeptRate, recovered, recoveryRate]) => ({ level: 'collector', collector, team, cases, penetration, connectRate, ptpRate, ptpKeptRate, recovered, recoveryRate }));
  return { data, basis: perfBasis, quality: quality(3090) };
}
const BASIC = perf([
  ['C001', 'M1组', 20, 8.35, 0.609, 0.347, 0.706, 119_177.37, 0.0496],
  ['C002', 'M1组', 14, 7.14, 0.524, 0.385, 0.4, 49_303.28, 0.1116],
  ['C003', 'M1组', 10, 8.2, 0.417, 0.333, 0.667, 185_019.16, 0.2028],
  ['C011', 'M2组', 18, 9.1, 0.45, 0.29, 0.52, 96_400, 0.081],
  ['C021', 'M3+组', 25, 11.4, 0.31, 0.18, 0.33, 402_300.5, 0.035],
]);
const LONG = perf([
  ['欧阳慕容·司马长风（华东区域委外催收合作机构驻场专员）', '委外催收第三事业部（上海浦东新区张江高科技园区）', 20, 8.35, 0.609, 0.347, 0.706, 119_177.37, 0.0496],
  ['诸葛青云', '法务诉讼及资产保全中心（含司法拍卖）', 9, 3.2, 0.2, 0.1, null, 2_000_000, 0.41],
]);
const HUGE_TINY = perf([
  ['C001', 'M1组', 12_345_678, 1234.5, 0.99999, 0.00001, 1, 9.87e12, 0.000001],
  ['C002', 'M2组', 1, 0.001, 0, 0, 0, 0.01, 1],
  ['C003', 'M3+组', 0, 0, null, null, null, 0, null],
]);
const ALL_NULL = perf([
  ['C001', 'M1组', null, null, null, null, null, null, null],
  ['C002', 'M1组', null, null, null, null, null, null, null],
]);
const SINGLE = perf([['C001', 'M1组', 20, 8.35, 0.609, 0.347, 0.706, 119_177.37, 0.0496]]);

const docs = `\`<fin-table>\`: a sortable metric table with optional in-cell bars — collector leaderboards, channel effectiveness, churn by month, any metric whose rows read best as a table. Columns (\`.columns\`, property only) name the row key, a bilingual label, a format (\`count\`, \`percent\`, \`currency-compact\`, \`period\` …) and \`bar: true\` for an inline bar. Rows are selectable with the mouse and the keyboard (Enter / Space) and emit \`fin-select\` with \`{ field: select-field, op: 'eq', value }\`.

${usage(`
<script type="module">import 'finboard/components/table';</script>
<fin-table metric="collector_performance" source="collection_actions" select-field="collector" limit="20"></fin-table>
<script type="module">
  const t = document.querySelector('fin-table');
  t.engine = engine;
  t.columns = [
    { key: 'collector', label: { 'zh-CN': '催收员', 'en-US': 'Collector' } },
    { key: 'recovered', label: { 'zh-CN': '催回金额', 'en-US': 'Recovered' }, format: 'currency-compact', bar: true },
  ];
</script>`)}`;

const render = (args: Record<string, unknown>, ctx: StoryContext) => {
  const { theme, locale } = look(ctx);
  return box(
    args['width'],
    html`<fin-table
      data-story=${ifDefined(marker(ctx))}
      .result=${(args['result'] as MetricResult | undefined) ?? null}
      .engine=${engineOf(ctx)}
      .columns=${(args['columns'] as TableColumn[] | undefined) ?? null}
      .params=${(args['params'] as Record<string, unknown> | undefined) ?? {}}
      metric=${args['metric'] ?? ''}
      source=${args['source'] ?? ''}
      heading=${args['heading'] ?? ''}
      group=${args['group'] ?? ''}
      widget-id=${args['widgetId'] ?? ''}
      select-field=${args['selectField'] ?? ''}
      limit=${args['limit']}
      theme=${theme}
      locale=${locale}
    ></fin-table>`,
  );
};

const meta: Meta = {
  title: 'Elements/Table',
  component: 'fin-table',
  tags: ['autodocs'],
  parameters: { docs: { description: { component: docs } } },
  args: { heading: '', metric: 'collector_performance', source: 'collection_actions', columns: COLLECTOR_COLUMNS, selectField: 'collector', limit: 50, width: 0 },
  argTypes: {
    metric: { control: 'select', options: ['collector_performance', 'channel_effectiveness', 'churn'] },
    source: { control: 'select', options: ['collection_actions', 'transactions', 'loan_months'] },
    limit: { control: { type: 'number', min: 1, max: 500 } },
    columns: { control: 'object' },
    params: { control: 'object' },
    result: { control: false },
    ...widthArgTypes,
  },
  render,
};
export default meta;
type Story = StoryObj;

// --- main variants on the seeded sample ---------------------------------------------------------
const sample = { loaders: [engineLoader], argTypes: sizeArgTypes };

export const CollectorLeaderboard: Story = { ...sample, args: { heading: '催收员排行', limit: 12 } };
export const Teams: Story = {
  ...sample,
  args: { heading: '催收组', params: { level: 'team' }, selectField: 'team', columns: [{ key: 'team', label: L('催收组', 'Team') }, ...COLLECTOR_COLUMNS.slice(2)] },
};
export const ChannelEffectiveness: Story = { ...sample, args: { heading: '渠道效果', metric: 'channel_effectiveness', columns: CHANNEL_COLUMNS, selectField: 'channel' } };
export const ChurnByMonth: Story = { ...sample, args: { heading: '流失趋势', metric: 'churn', source: 'transactions', columns: CHURN_COLUMNS, selectField: 'month' } };
export const DefaultColumns: Story = { ...sample, args: { heading: '渠道效果（默认列）', metric: 'channel_effectiveness', columns: null, selectField: '' } };
export const DarkEnglish: Story = { ...sample, globals: { theme: 'dark', locale: 'en-US' }, args: { heading: 'Collector leaderboard', limit: 12 } };
export const NarrowCard: Story = { ...sample, args: { heading: '渠道效果', metric: 'channel_effectiveness', columns: CHANNEL_COLUMNS.slice(0, 3), selectField: 'channel', width: 320 } };

// --- edge data (hand-made results) ---------------------------------------------------------------
export const HandMadeResult: Story = { args: { heading: '催收员排行', result: BASIC } };
export const LongChineseLabels: Story = { args: { heading: '催收员排行（含委外机构及法务诉讼中心的全部在催人员）', result: LONG } };
export const HugeAndTinyNumbers: Story = { args: { heading: '催收员排行', result: HUGE_TINY } };
export const AllNullCells: Story = { args: { heading: '催收员排行', result: ALL_NULL } };
export const SingleRow: Story = { args: { heading: '催收员排行', result: SINGLE, width: 480 } };

// --- states ---------------------------------------------------------------------------------------
export const PartialData: Story = {
  args: { heading: '催收员排行', result: partial(BASIC, { missing_action_time: 18, missing_case: 4 }, L('外呼系统 10 月 8 日的通话记录未同步。', 'Dialler records of 8 Oct were not synced.')) },
};
export const Empty: Story = { args: { heading: '催收员排行', result: emptyResult(perfBasis, L('所选催收组没有在催案件', 'The selected team has no open cases')) } };
export const ErrorState: Story = { args: { heading: '催收员排行', result: BROKEN_RESULT } };
export const EngineError: Story = { ...engineErrorStory, args: { heading: '催收员排行' } };
export const Loading: Story = { ...loadingStory, args: { heading: '催收员排行' } };
