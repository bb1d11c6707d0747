/**
 * `model_monitor`: how well a score model ranks and how far its population has drifted (METRICS.md,
 * "Model monitoring"). The scored sample comes from `score`'s machinery: a model trained here
 * (development = train, monitoring = test) or a given model (`params.model`, monitoring = every
 * row, development = the bands and bins stored in the model). Scores are PDs: higher = riskier.
 */
import { NULL_INDEX } from '../../data/dataset.js';
import type { MetricContext } from '../context.js';
import type { MetricDef } from '../metric.js';
import { makeBasis, makeQuality, r10, result, t } from '../metric.js';
import type { LocalText, MetricResult } from '../types.js';
import { intParam } from './generic-util.js';
import type { WoeBin } from './mining-stats.js';
import {
  bandTable,
  binCategorical,
  binLookup,
  binNumeric,
  ivReading,
  ksReading,
  psi,
  psiReading,
} from './mining-stats.js';
import { groupRanks } from './rank-stats.js';
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

const pick = <T extends ArrayLike<number>>(arr: T, rows: ArrayLike<number>): Float64Array =>
  Float64Array.from(rows as ArrayLike<number>, (i) => arr[i]!);

function monthLabel(m: number): string {
  return `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
}

/**
 * The distinct months of the rows, ascending (NULL_INDEX = no month left out), and each row's
 * position among them (−1 for none): through a table over the months' range (month indexes are
 * year·12 + month, a few hundred apart at most), a map only when the range is far wider.
 */
function monthIndex(month: Int32Array): { ids: number[]; of: Int32Array } {
  const N = month.length;
  const NONE = NULL_INDEX;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < N; i++) {
    const v = month[i]!;
    if (v === NONE) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const of = new Int32Array(N).fill(-1);
  if (hi < lo) return { ids: [], of };
  const ids: number[] = [];
  if (hi - lo <= 4 * N + 1024) {
    const pos = new Int32Array(hi - lo + 1).fill(-1);
    for (let i = 0; i < N; i++) if (month[i] !== NONE) pos[month[i]! - lo] = 0;
    for (let m = 0; m < pos.length; m++) if (pos[m] === 0) pos[m] = ids.push(lo + m) - 1;
    for (let i = 0; i < N; i++) if (month[i] !== NONE) of[i] = pos[month[i]! - lo]!;
  } else {
    for (const m of [...new Set(month)].sort((x, y) => x - y)) if (m !== NONE) ids.push(m);
    const pos = new Map(ids.map((m, k) => [m, k]));
    for (let i = 0; i < N; i++) if (month[i] !== NONE) of[i] = pos.get(month[i]!)!;
  }
  return { ids, of };
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
  const N = sample.ids.length;
  const B = edges.length + 1;
  const yDev = (): Uint8Array => Uint8Array.from(dev, (i) => label[i]!);
  // Groups of rows: months 0..M−1 (ascending), then development (M) and monitoring (M + 1).
  const { ids: monthIds, of: monthOf } = monthIndex(sample.month);
  const M = monthIds.length;
  const splitOf = new Int32Array(N).fill(-1);
  for (const i of dev) splitOf[i] = M;
  for (const i of mon) splitOf[i] = M + 1;
  const monthDev = new Int8Array(M).fill(-1); // a month is development when its first row is
  for (let i = 0; i < N; i++) {
    const k = monthOf[i]!;
    if (k >= 0 && monthDev[k] === -1) monthDev[k] = splitOf[i] === M ? 1 : 0;
  }
  // AUC / KS of every group from one sort; the monitoring sample's curve and every group's band
  // counts (and bads per band, for the band tables) on the way.
  const G = M + 2;
  const {
    ranks,
    curve: monCurve,
    bands,
  } = groupRanks(pd, label, [monthOf, splitOf], G, undefined, M + 1, curvePoints, edges);
  const counts = (g: number): Float64Array => bands!.count.subarray(g * B, g * B + B);
  const bads = (g: number): Float64Array => bands!.bads.subarray(g * B, g * B + B);
  const fig = (g: number, scaling: Parameters<typeof scaled>[0] | null): RankFigures => {
    const r = ranks[g]!;
    return {
      count: r.count,
      events: r.events,
      eventRate: r.count ? r10(r.events / r.count) : null,
      auc: r.auc === null ? null : r10(r.auc),
      gini: r.auc === null ? null : r10(2 * r.auc - 1),
      ks: r.ks === null ? null : r10(r.ks),
      ksCutoff: r.cutoff === null ? null : r10(r.cutoff),
      ksCutoffScore: r.cutoff !== null && scaling ? Math.round(scaled(scaling, r.cutoff) * 100) / 100 : null,
      ksReading: ksReading(r.ks),
    };
  };

  // Development band shares: from the sample when trained here, from the model's decile edges
  // (10% each by construction) when a given model is applied.
  const devCounts = dev.length ? counts(M) : Float64Array.from({ length: B }, () => 0.1);
  const data: MonitorMonth[] = monthIds.map((m, k) => {
    const f = fig(k, null);
    const isDev = monthDev[k] === 1;
    const p = isDev ? null : psi(devCounts, counts(k));
    return {
      month: monthLabel(m),
      sample: isDev ? 'development' : 'monitoring',
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

  const overall = fig(M + 1, model.scaling);
  const development = dev.length ? fig(M, model.scaling) : null;
  const curve = monCurve.map((p) => ({
    threshold: Number.isFinite(p.threshold) ? r10(p.threshold) : null,
    population: r10(p.population),
    tpr: r10(p.cumBad),
    fpr: r10(p.cumGood),
    ks: r10(Math.abs(p.cumBad - p.cumGood)),
  }));
  const monCounts = counts(M + 1);
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
          ? binNumeric(pick(sample.num[f.name]!, dev), yDev()).bins
          : binCategorical(
              Array.from(dev, (i) => sample.cat[f.name]![i] ?? null),
              yDev(),
            ).bins;
    }
    bins ??= [];
    const monC = new Float64Array(bins.length);
    const monB = new Float64Array(bins.length);
    const add = (i: number, j: number): void => {
      if (j >= 0) {
        monC[j]!++;
        if (label[i]) monB[j]!++;
      }
    };
    if (f.kind === 'num') {
      // binLookup()'s numeric rule inline: missing → the missing bin, else the first bin (lo, hi].
      const col = sample.num[f.name]!;
      const missing = bins.findIndex((b) => b.missing === true);
      const num = bins.flatMap((b, j) => (b.missing || b.values ? [] : [j]));
      const lo = Float64Array.from(num, (j) => bins[j]!.lo ?? -Infinity);
      const hi = Float64Array.from(num, (j) => bins[j]!.hi ?? Infinity);
      for (let k = 0; k < mon.length; k++) {
        const i = mon[k]!;
        const v = col[i]!;
        let j = -1;
        if (Number.isNaN(v)) j = missing;
        else
          for (let t = 0; t < num.length; t++)
            if (v > lo[t]! && v <= hi[t]!) {
              j = num[t]!;
              break;
            }
        add(i, j);
      }
    } else {
      const binOf = binLookup(bins);
      const col = sample.cat[f.name]!;
      for (let k = 0; k < mon.length; k++) add(mon[k]!, binOf(col[mon[k]!] ?? null));
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
      bands: bandTable(counts(M + 1), bads(M + 1), edges).map(round),
      developmentBands: dev.length ? bandTable(counts(M), bads(M), edges).map(round) : null,
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
