import type { Meta, StoryContext, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../components/profile/define.js';
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

const profileBasis = basis('profile', L('客户画像', 'Customer profile'), L('TGI = 客群占比 / 基准占比 × 100', 'TGI = group share / base share × 100'), {
  measure: 'count',
  asOf: '2026-10-31',
  options: { base: 'all', minCount: 30 },
});

type V = [attribute: string, label: [string, string], value: string, group: number, base: number];

/** A profile result of a group of `g` customers against a base of `b`, from value counts. */
function profile(g: number, b: number, values: V[], groupLabel: [string, string]): MetricResult {
  return {
    data: values.map(([attribute, label, value, gc, bc]) => ({
      attribute,
      attributeLabel: L(...label),
      value,
      groupCount: gc,
      groupShare: gc / g,
      baseCount: bc,
      baseShare: bc / b,
      tgi: bc ? (gc / g / (bc / b)) * 100 : null,
      small: gc < 30,
    })),
    basis: profileBasis,
    quality: quality(b),
    meta: {
      group: { kind: 'segment', label: L(...groupLabel), size: g, small: g < 30 },
      base: { kind: 'all', size: b },
      numeric: [
        { attribute: 'age', label: L('年龄', 'Age'), group: { n: g, mean: 42.1, median: 41, q1: 34, q3: 50 }, base: { n: b, mean: 38.9, median: 38, q1: 31, q3: 46 }, index: (42.1 / 38.9) * 100 },
        { attribute: 'aum', label: L('资产 AUM', 'AUM'), group: { n: g, mean: 823_000, median: 96_800, q1: 29_800, q3: 500_000 }, base: { n: b, mean: 504_600, median: 42_700, q1: 15_200, q3: 159_300 }, index: 163 },
      ],
    },
  };
}

const AGE: [string, string] = ['年龄段', 'Age band'];
const GENDER: [string, string] = ['性别', 'Gender'];
const TIER: [string, string] = ['城市等级', 'City tier'];
const SEG: [string, string] = ['客群', 'Segment'];
const BASIC = profile(
  213,
  1500,
  [
    ['age_band', AGE, '18-25', 19, 138], ['age_band', AGE, '26-35', 65, 437], ['age_band', AGE, '36-45', 74, 543], ['age_band', AGE, '46-55', 38, 260], ['age_band', AGE, '56+', 17, 122],
    ['gender', GENDER, '女', 101, 741], ['gender', GENDER, '男', 112, 759],
    ['city_tier', TIER, '一线', 58, 300], ['city_tier', TIER, '新一线', 50, 390], ['city_tier', TIER, '二线', 61, 480], ['city_tier', TIER, '三线及以下', 44, 330],
    ['segment', SEG, '大众客户', 120, 1150], ['segment', SEG, '贵宾客户', 63, 290], ['segment', SEG, '私行客户', 30, 60],
  ],
  ['重要价值客户', 'Important value'],
);
const SMALL = profile(
  18,
  1500,
  [
    ['gender', GENDER, '女', 12, 741], ['gender', GENDER, '男', 6, 759],
    ['segment', SEG, '大众客户', 5, 1150], ['segment', SEG, '私行客户', 13, 60],
  ],
  ['簇 4：高资产高额', 'Cluster 4: High-AUM, high-spend'],
);

const docs = `\`<fin-profile>\`: customer profile (客户画像) from the \`profile\` metric — a group against a base (everyone by default). TGI bars per attribute drawn from 100 (right: over-represented in the group; left: under), a reference line at 100, values held by fewer than 30 group customers pale and starred; numeric attributes compared by median, mean and quartiles.

The group is \`params.group\` (\`{ segment }\`, \`{ cluster }\`, \`{ label: 'default' }\`, \`{ where }\`, \`{ ids }\`) or follows a selection: in \`<fin-dashboard>\` a selected RFM segment or cluster becomes the group.

${usage(`
<script type="module">import 'finboard/components/profile';</script>
<fin-profile heading="重要价值客户画像"></fin-profile>
<script type="module">
  const el = document.querySelector('fin-profile');
  el.data = { customers, transactions, loans };
  el.params = { group: { segment: 'important_value' } };
</script>`)}`;

const render = (args: Record<string, unknown>, ctx: StoryContext) => {
  const { theme, locale } = look(ctx);
  return box(
    args['width'],
    html`<fin-profile
      data-story=${ifDefined(marker(ctx))}
      .result=${(args['result'] as MetricResult | undefined) ?? null}
      .engine=${engineOf(ctx)}
      .params=${(args['params'] as Record<string, unknown> | undefined) ?? {}}
      heading=${args['heading'] ?? ''}
      attribute=${args['attribute'] ?? ''}
      view=${args['view']}
      theme=${theme}
      locale=${locale}
    ></fin-profile>`,
  );
};

const meta: Meta = {
  title: 'Elements/Profile',
  component: 'fin-profile',
  tags: ['autodocs'],
  parameters: { docs: { description: { component: docs } } },
  args: { heading: '', attribute: '', view: 'chart', width: 0 },
  argTypes: {
    attribute: { control: 'select', options: ['', 'age_band', 'gender', 'city_tier', 'segment', 'risk_grade', 'product', 'channel'] },
    view: { control: 'inline-radio', options: ['chart', 'table'] },
    result: { control: false },
    params: { control: 'object' },
    ...widthArgTypes,
  },
  render,
};
export default meta;
type Story = StoryObj;

// --- on the seeded sample -----------------------------------------------------------------------
const sample = { loaders: [engineLoader], argTypes: sizeArgTypes };
const attrs = ['age_band', 'gender', 'city_tier', 'segment', 'risk_grade', 'product', 'channel'];
export const ImportantValueSegment: Story = { ...sample, args: { params: { group: { segment: 'important_value' }, attributes: attrs } } };
export const LargestCluster: Story = { ...sample, args: { params: { group: { cluster: 1 }, attributes: attrs } } };
export const BadCustomers: Story = { ...sample, args: { params: { group: { label: 'default' }, attributes: attrs } } };
export const DarkEnglish: Story = { ...sample, globals: { theme: 'dark', locale: 'en-US' }, args: { params: { group: { segment: 'important_value' }, attributes: attrs } } };

// --- hand-made results ----------------------------------------------------------------------------
export const HandMadeResult: Story = { args: { result: BASIC } };
export const English: Story = { args: { result: BASIC }, globals: { locale: 'en-US' } };
export const Dark: Story = { args: { result: BASIC }, globals: { theme: 'dark' } };
export const OneAttribute: Story = { args: { result: BASIC, attribute: 'segment' } };
export const SmallGroup: Story = { args: { result: SMALL } };
export const TableView: Story = { args: { result: BASIC, view: 'table' } };

// --- states ---------------------------------------------------------------------------------------
export const NoGroupYet: Story = { ...sample };
export const PartialData: Story = {
  args: { result: partial(BASIC, { missing_customer: 9 }, L('9 条客户记录缺少出生年份，不计入年龄段。', '9 customer records lack a birth year and are not in the age bands.')) },
};
export const Empty: Story = { args: { result: emptyResult(profileBasis, L('范围内没有客户', 'No customers in scope')) } };
export const ErrorState: Story = { args: { heading: '客户画像', result: BROKEN_RESULT } };
export const EngineError: Story = { ...engineErrorStory, args: { heading: '客户画像', params: { group: { segment: 'important_value' } } } };
export const Loading: Story = { ...loadingStory, args: { heading: '客户画像', params: { group: { segment: 'important_value' } } } };
