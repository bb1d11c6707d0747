/**
 * `model_monitor`: how well a score model ranks and how far its population has drifted (METRICS.md,
 * "Model monitoring"). The scored sample comes from `score`'s machinery: a model trained here
 * (development = train, monitoring = test) or a given model (`params.model`, monitoring = every
 * row, development = the bands and bins stored in the model). Scores are PDs: higher = riskier.
 */
import type { MetricContext } from '../context.js';
import type { MetricDef } from '../metric.js';
import { makeBasis, makeQuality, r10, result, t } from '../metric.js';
import type { LocalText, MetricResult } from '../types.js';
import { intParam } from './generic-util.js';
import type { WoeBin } from './mining-stats.js';
import {
  auc,
  bandCounts,
  binIndex,
  binCategorical,
  binNumeric,
  ivReading,
  ksCurve,
  ksReading,
  psi,
  psiReading,
  scoreBands,
  thinCurve,
} from './mining-stats.js';
import type { ScoreRun } from './score.js';
import { scoreNotes, scoreRun } from './score.js';
import { scaled } from './score-model.js';

/** One month of the monitoring trend (data rows). */
export interface MonitorMonth {
  month: string;
  /** `development` (the training months) or `monitoring`. */
  sample: 'development' | 'monitoring';
  count: number;
  events: number;
  eventRate: number | null;
  auc: number | null;
  gini: number | null;
  ks: number | null;
  /** PSI of this month's PD bands against the development bands; null for development months. */
  psi: number | null;
  psiReading: 'stable' | 'watch' | 'shifted' | null;
}

/** Ranking figures of one sample. */
export interface RankFigures {
  count: number;
  events: number;
  eventRate: number | null;
  auc: number | null;
  gini: number | null;
  ks: number | null;
  /** PD at which KS occurs (flag PD ≥ cutoff) and, with scaling, the score there. */
  ksCutoff: number | null;
  ksCutoffScore: number | null;
  ksReading: 'weak' | 'fair' | 'good' | null;
}

/** One feature's information value and stability. */
export interface FeatureMonitor {
  feature: string;
  label: LocalText;
  kind: 'num' | 'cat';
  /** IV of the feature on the development sample, over its WOE bins. */
  iv: number;
  ivReading: 'useless' | 'weak' | 'medium' | 'strong' | 'suspect';
  /** IV on the monitoring sample, over the same bins. */
  ivMonitoring: number | null;
  /** CSI: PSI of the monitoring sample over the development bins. */
  csi: number | null;
  csiReading: 'stable' | 'watch' | 'shifted' | null;
  /** WOE bins (development) with the monitoring share beside (only with includeBins). */
  bins?: Array<WoeBin & { monitoringShare: number }>;
}

function figures(pd: Float64Array, y: Uint8Array, scaling: Parameters<typeof scaled>[0] | null): RankFigures {
  let ev = 0;
  for (const v of y) ev += v;
  const a = auc(pd, y);
  const k = ksCurve(pd, y);
  return {
    count: y.length,
    events: ev,
    eventRate: y.length ? r10(ev / y.length) : null,
    auc: a === null ? null : r10(a),
    gini: a === null ? null : r10(2 * a - 1),
    ks: k.ks === null ? null : r10(k.ks),
    ksCutoff: k.cutoff === null ? null : r10(k.cutoff),
    ksCutoffScore: k.cutoff !== null && scaling ? Math.round(scaled(scaling, k.cutoff) * 100) / 100 : null,
    ksReading: ksReading(k.ks),
  };
}

const pick = <T extends ArrayLike<number>>(arr: T, rows: ArrayLike<number>): Float64Array =>
  Float64Array.from(rows as ArrayLike<number>, (i) => arr[i]!);

function monthLabel(m: number): string {
  return `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
}

/** What the monitor reads: a scored sample, its development/monitoring split and the model. */
export type MonitorInput = Pick<ScoreRun, 'sample' | 'model' | 'pd' | 'train' | 'test'>;

/** The monitor's figures on a scored sample: the monthly trend and everything else of `meta`. */
export function monitorScored(
  run: MonitorInput,
  opts: { curvePoints: number; includeBins: boolean },
): { data: MonitorMonth[]; figures: Record<string, unknown> } {
  const { sample, model, pd } = run;
  const { curvePoints, includeBins } = opts;
  const dev = run.train;
  const mon = run.test;
  const edges = model.development.edges;
  const label = sample.label;
  const yDev = Uint8Array.from(dev, (i) => label[i]!);
  const yMon = Uint8Array.from(mon, (i) => label[i]!);
  const pdDev = pick(pd, dev);
  const pdMon = pick(pd, mon);

  // Development band shares: from the sample when trained here, from the model's decile edges
  // (10% each by construction) when a given model is applied.
  const devCounts = dev.length
    ? bandCounts(pdDev, yDev, edges).count
    : Float64Array.from({ length: edges.length + 1 }, () => 0.1);
  // Monthly trend.
  const months = new Map<number, { rows: number[]; dev: boolean }>();
  const inDev = new Uint8Array(sample.ids.length);
  for (const i of dev) inDev[i] = 1;
  for (let i = 0; i < sample.ids.length; i++) {
    const m = sample.month[i]!;
    if (m === -2147483648) continue;
    let e = months.get(m);
    if (!e) months.set(m, (e = { rows: [], dev: inDev[i] === 1 }));
    e.rows.push(i);
  }
  const data: MonitorMonth[] = [...months.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([m, e]) => {
      const s = pick(pd, e.rows);
      const y = Uint8Array.from(e.rows, (i) => label[i]!);
      const f = figures(s, y, null);
      const p = e.dev ? null : psi(devCounts, bandCounts(s, y, edges).count);
      return {
        month: monthLabel(m),
        sample: e.dev ? 'development' : 'monitoring',
        count: f.count,
        events: f.events,
        eventRate: f.eventRate,
        auc: f.auc,
        gini: f.gini,
        ks: f.ks,
        psi: p === null || !Number.isFinite(p) ? null : r10(p),
        psiReading: psiReading(p),
      };
    });

  const overall = figures(pdMon, yMon, model.scaling);
  const development = dev.length ? figures(pdDev, yDev, model.scaling) : null;
  const ksMon = ksCurve(pdMon, yMon);
  const curve = thinCurve(ksMon.curve, curvePoints, ksMon.cutoff).map((p) => ({
    threshold: Number.isFinite(p.threshold) ? r10(p.threshold) : null,
    population: r10(p.population),
    tpr: r10(p.cumBad),
    fpr: r10(p.cumGood),
    ks: r10(Math.abs(p.cumBad - p.cumGood)),
  }));
  const monCounts = bandCounts(pdMon, yMon, edges).count;
  const totalPsi = mon.length ? psi(devCounts, monCounts) : NaN;
  const devTot = devCounts.reduce((a, b) => a + b, 0);
  const monTot = monCounts.reduce((a, b) => a + b, 0);
  const distribution = Array.from({ length: edges.length + 1 }, (_, b) => {
    const band = edges.length + 1 - b; // 1 = riskiest
    const k = edges.length - b;
    return {
      band,
      expected: devTot ? r10(devCounts[k]! / devTot) : null,
      actual: monTot ? r10(monCounts[k]! / monTot) : null,
    };
  });
  const round = <T extends object>(o: T): T => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) out[k] = typeof v === 'number' ? r10(v) : v;
    return out as T;
  };

  // Features: WOE bins and IV on development (stored in the model), CSI of monitoring over them.
  const features: FeatureMonitor[] = sample.features.map((f) => {
    let bins = model.development.bins[f.name];
    if (!bins && dev.length) {
      bins =
        f.kind === 'num'
          ? binNumeric(pick(sample.num[f.name]!, dev), yDev).bins
          : binCategorical(
              Array.from(dev, (i) => sample.cat[f.name]![i] ?? null),
              yDev,
            ).bins;
    }
    bins ??= [];
    const monC = new Float64Array(bins.length);
    const monB = new Float64Array(bins.length);
    for (const i of mon) {
      const v = f.kind === 'num' ? sample.num[f.name]![i]! : (sample.cat[f.name]![i] ?? null);
      const j = binIndex(bins, v);
      if (j >= 0) {
        monC[j]!++;
        if (label[i]) monB[j]!++;
      }
    }
    const iv = bins.reduce((a, b) => a + b.iv, 0);
    const c =
      mon.length && bins.length
        ? psi(
            bins.map((b) => b.count),
            monC,
          )
        : NaN;
    // IV of the monitoring sample over the development bins.
    let nb = 0;
    let ng = 0;
    for (let j = 0; j < bins.length; j++) {
      nb += monB[j]!;
      ng += monC[j]! - monB[j]!;
    }
    let ivMon: number | null = null;
    if (nb > 0 && ng > 0) {
      ivMon = 0;
      for (let j = 0; j < bins.length; j++) {
        const b = monB[j]!;
        const g = monC[j]! - b;
        const adj = b === 0 || g === 0 ? 0.5 : 0;
        const gp = (g + adj) / ng;
        const bp = (b + adj) / nb;
        ivMon += (gp - bp) * Math.log(gp / bp);
      }
    }
    const row: FeatureMonitor = {
      feature: f.name,
      label: f.label,
      kind: f.kind,
      iv: r10(iv),
      ivReading: ivReading(iv),
      ivMonitoring: ivMon === null ? null : r10(ivMon),
      csi: Number.isFinite(c) ? r10(c) : null,
      csiReading: psiReading(Number.isFinite(c) ? c : null),
    };
    if (includeBins) {
      const tot = monC.reduce((a, b) => a + b, 0);
      row.bins = bins.map((b, j) => ({ ...round(b), monitoringShare: tot ? r10(monC[j]! / tot) : 0 }));
    }
    return row;
  });
  features.sort((a, b) => b.iv - a.iv || (a.feature < b.feature ? -1 : 1));

  return {
    data,
    figures: {
      overall,
      development,
      psi: Number.isFinite(totalPsi) ? r10(totalPsi) : null,
      psiReading: psiReading(Number.isFinite(totalPsi) ? totalPsi : null),
      bands: scoreBands(pdMon, yMon, edges).map(round),
      developmentBands: dev.length ? scoreBands(pdDev, yDev, edges).map(round) : null,
      edges: edges.map(r10),
      distribution,
      curve,
      features,
    },
  };
}

function runMonitor(
  ctx: MetricContext,
  params: Record<string, unknown>,
  source: string,
): MetricResult<MonitorMonth> {
  const run = scoreRun(ctx, params, source);
  const { sample, model } = run;
  const curvePoints = intParam(params, 'curvePoints', 101, 3, 2000);
  const includeBins = params.includeBins !== false;
  const mon = run.test;
  const { data, figures: fig } = monitorScored(run, { curvePoints, includeBins });
  const meta: Record<string, unknown> = {
    definition: model.definition,
    kind: model.kind,
    applied: run.applied,
    split: run.split,
    ...fig,
    model: params.includeModel === true ? model : undefined,
  };
  if (meta.model === undefined) delete meta.model;
  const quality = makeQuality(sample.considered, sample.ids.length, sample.excluded);
  if (!mon.length)
    quality.warnings.push(t('没有监控样本（测试集为空）。', 'No monitoring sample (the test set is empty).'));
  const basis = makeBasis(ctx, {
    metric: 'model_monitor',
    title: t('模型监控', 'Model monitoring'),
    formula: t(
      'AUC = P(坏样本 PD > 好样本 PD)，并列计 ½；Gini = 2·AUC − 1；KS = max|累计坏% − 累计好%|；PSI = Σ (a − e)·ln(a / e)，按开发样本 PD 十分位分档，占比为 0 时取 0.0001',
      'AUC = P(a bad scores a higher PD than a good), ties ½; Gini = 2·AUC − 1; KS = max |cum bad % − cum good %|; PSI = Σ (a − e)·ln(a / e) over the development PD deciles, a zero share counted as 0.0001',
    ),
    measure: 'count',
    asOf: data.length ? data[data.length - 1]!.month : null,
    options: {
      definition: model.definition,
      split: run.split,
      applied: run.applied,
      curvePoints,
      includeBins,
    },
    exclusions: Object.entries(sample.excluded)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => t(`未参与（${k}）：${v}`, `Left out (${k}): ${v}`)),
    notes: [
      ...scoreNotes(run),
      t(
        '分档：开发样本 PD 的 10 个十分位档，档 1 风险最高；各档 KS 为该档下沿的累计坏%与累计好%之差；提升度 = 档坏率 / 总坏率；增益 = 累计坏%。解读：PSI < 0.10 稳定，0.10–0.25 关注，≥ 0.25 偏移；KS < 0.2 弱，0.2–0.4 一般，> 0.4 好；IV < 0.02 无用，0.02–0.1 弱，0.1–0.3 中，0.3–0.5 强，> 0.5 可疑（泄漏）。',
        "Bands: the 10 deciles of the development PDs, band 1 the riskiest; a band's KS is |cum bad % − cum good %| at its lower edge; lift = band bad rate / overall bad rate; gain = cum bad %. Readings: PSI < 0.10 stable, 0.10–0.25 watch, ≥ 0.25 shifted; KS < 0.2 weak, 0.2–0.4 fair, > 0.4 good; IV < 0.02 useless, 0.02–0.1 weak, 0.1–0.3 medium, 0.3–0.5 strong, > 0.5 suspect (leakage).",
      ),
      t(
        'WOE 分箱（开发样本）：数值特征最多 8 箱、每箱 ≥ 5%、坏率单调（不单调则合并相邻箱）；类别特征每值一箱，占比 < 5% 的合并为“其他”；缺失单独一箱；某箱好或坏为 0 时两者各加 0.5 计 WOE。CSI 为监控样本在同一分箱上的 PSI。',
        "WOE bins (development): numeric features at most 8 bins of ≥ 5% each with a monotone bad rate (adjacent bins merged until it is); categories one bin each, those under 5% merged into 其他; missing values their own bin; 0.5 is added to both counts of a bin with no goods or no bads. CSI is the monitoring sample's PSI over the same bins.",
      ),
    ],
  });
  return result(data, basis, quality, meta);
}

export const modelMonitorMetric: MetricDef = {
  id: 'model_monitor',
  source: 'loans',
  reads: ['loan_months', 'customers', 'transactions'],
  run: (ctx, params, source) => runMonitor(ctx, params ?? {}, source),
};
