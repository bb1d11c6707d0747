import type { Meta, StoryContext, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../components/cluster/define.js';
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
  rng,
  sizeArgTypes,
  usage,
  widthArgTypes,
} from './support.js';

const clusterBasis = basis('cluster', L('K-means 客户分群', 'K-means customer clusters'), L('特征 → log1p（偏态）→ z-score → K-means++；k 由平均轮廓系数选出', 'features → log1p (skewed) → z-scores → k-means++; k by the mean silhouette'), {
  measure: 'count',
  asOf: '2026-10-31',
  options: { features: ['recency', 'frequency', 'monetary'], kMin: 2, kMax: 10, seed: 42, restarts: 10 },
});

type C = [label: [string, string], size: number, centroid: [number, number, number], z: [number, number, number]];

/** A cluster result with seeded points around each centroid (R days, F, M CNY). */
function clusters(cs: C[], pointsPer = 80): MetricResult {
  const total = cs.reduce((a, c) => a + c[1], 0);
  const r = rng(11);
  const assignments: Array<Record<string, unknown>> = [];
  cs.forEach(([, , [cr, cf, cm]], i) => {
    for (let k = 0; k < pointsPer; k++) {
      const j = () => Math.exp((r() - 0.5) * 1.2);
      assignments.push({ customer_id: `CU*****${i}${k}`, cluster: i + 1, recency: Math.round(cr * j()), frequency: Math.round(cf * j()), monetary: Math.round(cm * j()) });
    }
  });
  const ks = [2, 3, 4, 5, 6, 7, 8];
  const chosen = cs.length;
  return {
    data: cs.map(([label, size, [cr, cf, cm], [zr, zf, zm]], i) => ({
      cluster: i + 1,
      label: L(...label),
      size,
      share: size / total,
      centroid: { recency: cr, frequency: cf, monetary: cm },
      median: { recency: Math.round(cr * 0.8), frequency: Math.round(cf * 0.9), monetary: Math.round(cm * 0.7) },
      z: { recency: zr, frequency: zf, monetary: zm },
    })),
    basis: clusterBasis,
    quality: quality(total * 40),
    meta: {
      k: chosen,
      kSelection: 'silhouette',
      kTable: ks.map((k) => ({ k, inertia: Math.round(3000 / k), silhouette: k === chosen ? 0.41 : 0.41 - Math.abs(k - chosen) * 0.04, calinskiHarabasz: 800 - k * 30, chosen: k === chosen })),
      features: [
        { feature: 'recency', label: L('最近交易距今天数', 'Days since last transaction'), unit: L('天', 'days'), log1p: true },
        { feature: 'frequency', label: L('交易笔数', 'Transactions'), unit: L('笔', 'txns'), log1p: true },
        { feature: 'monetary', label: L('交易金额', 'Amount'), unit: L('元', 'CNY'), log1p: true },
      ],
      entities: total,
      asOf: '2026-10-31',
      sampled: null,
      assignmentsTotal: total,
      assignments,
    },
  };
}

const BASIC = clusters([
  [['近期活跃高频', 'Recently active, frequent'], 2100, [4, 86, 420_000], [-0.7, 0.8, 0.5]],
  [['沉睡低频低额', 'Dormant, infrequent, low-spend'], 1300, [96, 12, 18_000], [1.3, -1.2, -1.1]],
  [['高额', 'High-spend'], 640, [9, 40, 2_600_000], [-0.2, 0.1, 1.6]],
]);

const docs = `\`<fin-cluster>\`: K-means customer clusters (客户分群) from the \`cluster\` metric — features per customer (RFM values by default), log1p on skewed ones, z-scores, k-means++ with a seed, k chosen by the mean silhouette.

Displays of one answer: \`scatter\` (two chosen features, points coloured by cluster, numbered centroids), \`profiles\` (parallel coordinates of the standardised centroids), \`k\` (mean silhouette and inertia per k, the chosen k marked). The cluster table under the chart gives size, share, centroid and median in original units and the suggested label; selecting a cluster emits \`fin-select\` with \`{ field: 'customer_cluster', op: 'eq', value }\`, which \`<fin-dashboard>\` turns into a filter on the cluster's customers.

${usage(`
<script type="module">import 'finboard/components/cluster';</script>
<fin-cluster heading="客户分群" display="scatter"></fin-cluster>
<script type="module">
  const el = document.querySelector('fin-cluster');
  el.data = transactions;                                    // customer_id, txn_time, amount …
  el.params = { features: ['recency', 'frequency', 'monetary'] };
  el.addEventListener('fin-select', (e) => console.log(e.detail.label));
</script>`)}`;

const render = (args: Record<string, unknown>, ctx: StoryContext) => {
  const { theme, locale } = look(ctx);
  return box(
    args['width'],
    html`<fin-cluster
      data-story=${ifDefined(marker(ctx))}
      .result=${(args['result'] as MetricResult | undefined) ?? null}
      .engine=${engineOf(ctx)}
      .params=${(args['params'] as Record<string, unknown> | undefined) ?? {}}
      heading=${args['heading'] ?? ''}
      display=${args['display']}
      x=${args['x'] ?? ''}
      y=${args['y'] ?? ''}
      ?hide-controls=${!!args['hideControls']}
      view=${args['view']}
      theme=${theme}
      locale=${locale}
    ></fin-cluster>`,
  );
};

const meta: Meta = {
  title: 'Elements/Cluster',
  component: 'fin-cluster',
  tags: ['autodocs'],
  parameters: { docs: { description: { component: docs } } },
  args: { heading: '', display: 'scatter', x: '', y: '', hideControls: false, view: 'chart', width: 0 },
  argTypes: {
    display: { control: 'inline-radio', options: ['scatter', 'profiles', 'k'] },
    x: { control: 'select', options: ['', 'recency', 'frequency', 'monetary'] },
    y: { control: 'select', options: ['', 'recency', 'frequency', 'monetary'] },
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

// --- on the seeded sample -----------------------------------------------------------------------
const sample = { loaders: [engineLoader], argTypes: sizeArgTypes };
export const Scatter: Story = { ...sample };
export const CentroidProfiles: Story = { ...sample, args: { display: 'profiles' } };
export const ChoiceOfK: Story = { ...sample, args: { display: 'k' } };
export const FourFeatures: Story = { ...sample, args: { params: { features: ['recency', 'frequency', 'monetary', 'aum'] }, x: 'monetary', y: 'aum' } };
export const DarkEnglish: Story = { ...sample, globals: { theme: 'dark', locale: 'en-US' } };

// --- hand-made results ----------------------------------------------------------------------------
export const HandMadeResult: Story = { args: { result: BASIC } };
export const English: Story = { args: { result: BASIC }, globals: { locale: 'en-US' } };
export const Dark: Story = { args: { result: BASIC }, globals: { theme: 'dark' } };
export const TableView: Story = { args: { result: BASIC, view: 'table' } };
export const NarrowCard: Story = { args: { result: BASIC, width: 340 } };
export const NoAssignments: Story = { args: { result: { ...BASIC, meta: { ...BASIC.meta, assignments: [], assignmentsTotal: 0 } } } };

// --- states ---------------------------------------------------------------------------------------
export const PartialData: Story = {
  args: { result: partial(BASIC, { missing_customer: 31 }, L('12 位客户缺少 AUM，未参与分群。', '12 customers lack an AUM and were left out.')) },
};
export const Empty: Story = { args: { result: emptyResult(clusterBasis, L('窗口内没有可分群的客户', 'No customers to cluster in the window')) } };
export const ErrorState: Story = { args: { heading: '客户分群', result: BROKEN_RESULT } };
export const EngineError: Story = { ...engineErrorStory, args: { heading: '客户分群' } };
export const Loading: Story = { ...loadingStory, args: { heading: '客户分群' } };
