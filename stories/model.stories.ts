import type { Meta, StoryContext, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../components/model/define.js';
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
} from './support.js';

const monitorBasis = basis(
  'model_monitor',
  L('模型监控', 'Model monitoring'),
  L('AUC = P(坏样本 PD > 好样本 PD)，并列计 ½；KS = max|累计坏% − 累计好%|；PSI = Σ (a − e)·ln(a / e)', 'AUC = P(a bad scores a higher PD than a good), ties ½; KS = max |cum bad % − cum good %|; PSI = Σ (a − e)·ln(a / e)'),
  { measure: 'count', options: { definition: 'default', split: { kind: 'oot', cutoff: '2026-05' } } },
);

/**
 * A hand-made monitoring answer: 12 months (8 development, 4 monitoring, drifting by `drift`),
 * 10 bands with bad rates falling from `top`, a ROC curve of a binormal model with separation `d`,
 * and four features.
 */
function monitor(d = 1.1, drift = 0.04, top = 0.32): MetricResult {
  const r = rng(11);
  const ms = months(12, '2026-08');
  const phi = (x: number): number => 1 / (1 + Math.exp(-1.702 * x));
  const curve = Array.from({ length: 41 }, (_, i) => {
    const t = 3 - (i / 40) * 6;
    const fpr = i === 0 ? 0 : i === 40 ? 1 : 1 - phi(t);
    const tpr = i === 0 ? 0 : i === 40 ? 1 : 1 - phi(t - d);
    return { threshold: i === 0 ? null : Math.round(phi(t - 2) * 1e4) / 1e4, population: 0.8 * fpr + 0.2 * tpr, tpr, fpr, ks: Math.abs(tpr - fpr) };
  });
  const ks = Math.max(...curve.map((c) => c.ks));
  let auc = 0;
  for (let i = 1; i < curve.length; i++) auc += (curve[i]!.fpr - curve[i - 1]!.fpr) * (curve[i]!.tpr + curve[i - 1]!.tpr) / 2;
  const rates = Array.from({ length: 10 }, (_, b) => top * Math.pow(0.72, b));
  const overall = rates.reduce((a, x) => a + x, 0) / 10;
  const totBad = rates.reduce((a, x) => a + x * 300, 0);
  const totGood = rates.reduce((a, x) => a + (1 - x) * 300, 0);
  let cb = 0;
  let cg = 0;
  const bands = rates.map((rate, b) => {
    cb += (rate * 300) / totBad;
    cg += ((1 - rate) * 300) / totGood;
    return { band: b + 1, from: b === 9 ? null : Math.round(rate * 0.8 * 1e4) / 1e4, to: b === 0 ? null : Math.round(rates[b - 1]! * 0.8 * 1e4) / 1e4, count: 300, bads: Math.round(rate * 300), goods: 300 - Math.round(rate * 300), share: 0.1, badRate: rate, cumBadPct: cb, cumGoodPct: cg, ks: Math.abs(cb - cg), lift: rate / overall, gain: cb };
  });
  const distribution = bands.map((b) => ({ band: b.band, expected: 0.1, actual: 0.1 + (b.band - 5.5) * drift * 0.02 }));
  const psi = distribution.reduce((a, x) => a + (x.actual - x.expected) * Math.log(x.actual / x.expected), 0);
  const data = ms.map((month, i) => {
    const dev = i < 8;
    const wob = (r() - 0.5) * 0.04 - (dev ? 0 : (i - 7) * drift * 0.1);
    const a = Math.min(0.99, auc + wob);
    const p = dev ? null : Math.max(0.01, psi * (i - 7) * 0.6 + r() * 0.02);
    return { month, sample: dev ? 'development' : 'monitoring', count: 900 + Math.round(r() * 200), events: 90 + Math.round(r() * 30), eventRate: overall, auc: a, gini: 2 * a - 1, ks: ks + wob, psi: p, psiReading: p === null ? null : p < 0.1 ? 'stable' : p < 0.25 ? 'watch' : 'shifted' };
  });
  const feat = (feature: string, zh: string, en: string, iv: number, csi: number, labels: string[]) => ({
    feature,
    label: L(zh, en),
    kind: 'num',
    iv,
    ivReading: iv < 0.02 ? 'useless' : iv < 0.1 ? 'weak' : iv < 0.3 ? 'medium' : iv < 0.5 ? 'strong' : 'suspect',
    ivMonitoring: iv * 0.9,
    csi,
    csiReading: csi < 0.1 ? 'stable' : csi < 0.25 ? 'watch' : 'shifted',
    bins: labels.map((label, j) => ({ label, count: 600, bads: 40 + j * 25, goods: 560 - j * 25, badRate: (40 + j * 25) / 600, goodPct: 0.25, badPct: 0.25, woe: 0.8 - j * 0.5, iv: iv / labels.length, monitoringShare: 0.25 + (j - 1.5) * csi * 0.1 })),
  });
  return {
    data,
    basis: monitorBasis,
    quality: quality(14_000, { immature: 2_100 }),
    meta: {
      definition: 'default',
      kind: 'logistic',
      overall: { count: 4000, events: 420, eventRate: 0.105, auc, gini: 2 * auc - 1, ks, ksCutoff: 0.118, ksCutoffScore: null, ksReading: ks < 0.2 ? 'weak' : ks < 0.4 ? 'fair' : 'good' },
      development: { count: 8000, events: 800, eventRate: 0.1, auc: auc + 0.02, gini: 2 * auc - 0.96, ks: ks + 0.02, ksCutoff: 0.11, ksCutoffScore: null },
      psi,
      psiReading: psi < 0.1 ? 'stable' : psi < 0.25 ? 'watch' : 'shifted',
      bands,
      distribution,
      curve,
      features: [
        feat('overdue_history', '历史逾期次数', 'Past delinquencies', 0.42, 0.03, ['0', '(0, 1]', '(1, 3]', '(3, ∞)']),
        feat('debt_ratio', '负债收入比', 'Debt-to-income', 0.21, 0.12, ['(-∞, 0.2]', '(0.2, 0.35]', '(0.35, 0.5]', '(0.5, ∞)']),
        feat('annual_rate', '年利率', 'Annual rate', 0.61, 0.02, ['(-∞, 0.05]', '(0.05, 0.08]', '(0.08, 0.12]', '(0.12, ∞)']),
        feat('tenure', '在网时长（月）', 'Tenure (months)', 0.05, 0.31, ['(-∞, 6]', '(6, 12]', '(12, 36]', '(36, ∞)']),
      ],
    },
  };
}

const docs = `Model monitoring (模型监控) of a score model from the \`model_monitor\` metric: KS / AUC / Gini / PSI tiles with a red-amber-green status (KS < 0.20 red, 0.20–0.30 amber, ≥ 0.30 green; AUC 0.65 / 0.75; Gini 0.30 / 0.50; PSI < 0.10 green, 0.10–0.25 amber, ≥ 0.25 red) and a monthly sparkline, the AUC / KS / Gini trend, ROC and KS curves, lift and gain per score band with the band table, expected vs actual score distribution beside the monthly PSI, and the feature table (IV, CSI, WOE bins on demand). One query answers every display.

${usage(`
<script type="module">import 'finboard/components/model';</script>
<fin-model heading="违约模型监控"></fin-model>
<fin-model display="curves" hide-views></fin-model>
<script type="module">
  for (const el of document.querySelectorAll('fin-model')) { el.engine = engine; el.params = { definition: 'default' }; }
</script>`)}`;

const render = (args: Record<string, unknown>, ctx: StoryContext) => {
  const { theme, locale } = look(ctx);
  return box(
    args['width'],
    html`<fin-model
      data-story=${ifDefined(marker(ctx))}
      .result=${(args['result'] as MetricResult | undefined) ?? null}
      .engine=${engineOf(ctx)}
      .params=${(args['params'] as Record<string, unknown> | undefined) ?? { definition: 'default' }}
      heading=${args['heading'] ?? ''}
      display=${args['display']}
      ?hide-views=${!!args['hideViews']}
      chart-height=${args['chartHeight']}
      view=${args['view']}
      theme=${theme}
      locale=${locale}
    ></fin-model>`,
  );
};

const meta: Meta = {
  title: 'Elements/Model monitoring',
  component: 'fin-model',
  tags: ['autodocs'],
  parameters: { docs: { description: { component: docs } } },
  args: { heading: '', display: 'overview', hideViews: false, chartHeight: 220, view: 'chart', width: 0 },
  argTypes: {
    display: { control: 'inline-radio', options: ['overview', 'curves', 'bands', 'stability', 'features'] },
    hideViews: { control: 'boolean' },
    chartHeight: { control: { type: 'number', min: 120, max: 800, step: 20 } },
    view: { control: 'inline-radio', options: ['chart', 'table'] },
    result: { control: false },
    params: { control: false },
    ...widthArgTypes,
  },
  render,
};
export default meta;
type Story = StoryObj;

// --- the default model on the seeded sample -----------------------------------------------------
const sample = { loaders: [engineLoader], argTypes: sizeArgTypes };

export const Overview: Story = { ...sample };
export const Curves: Story = { ...sample, args: { display: 'curves' } };
export const Bands: Story = { ...sample, args: { display: 'bands' } };
export const Stability: Story = { ...sample, args: { display: 'stability' } };
export const Features: Story = { ...sample, args: { display: 'features' } };
export const TreeModel: Story = { ...sample, args: { params: { definition: 'default', algorithm: 'tree' } } };
export const TableView: Story = { ...sample, args: { view: 'table', display: 'bands' } };
export const DarkEnglish: Story = { ...sample, globals: { theme: 'dark', locale: 'en-US' } };
export const DarkEnglishCurves: Story = { ...sample, args: { display: 'curves' }, globals: { theme: 'dark', locale: 'en-US' } };
export const NarrowCard: Story = { ...sample, args: { width: 360 } };

// --- hand-made answers ----------------------------------------------------------------------------
export const HandMadeStrongStable: Story = { args: { result: monitor(1.6, 0.01, 0.4) } };
export const HandMadeWeakShifted: Story = { args: { result: monitor(0.5, 0.9, 0.18), display: 'stability' } };
export const HandMadeFeatures: Story = { args: { result: monitor(), display: 'features' }, globals: { locale: 'en-US' } };

// --- states ---------------------------------------------------------------------------------------
export const PartialData: Story = {
  args: { result: partial(monitor(), { missing_label: 37 }, L('2026-08 的表现期尚未满 12 个月。', 'The 2026-08 performance window is not complete yet.')) },
};
export const Empty: Story = { args: { result: emptyResult(monitorBasis, L('所选范围内没有已到期的样本', 'No matured loans in the selected range')) } };
export const ErrorState: Story = { args: { heading: '模型监控', result: BROKEN_RESULT } };
export const EngineError: Story = { ...engineErrorStory, args: { heading: '模型监控' } };
export const Loading: Story = { ...loadingStory, args: { heading: '模型监控' } };
