/**
 * `cluster`: K-means customer segmentation (客户分群), METRICS.md "Clusters". Features per customer
 * (default the RFM values R days, F, M over the window), log1p on skewed non-negative features,
 * z-scores, k-means++ with a seed and restarts (ml-kmeans), k given or chosen in kMin..kMax by the
 * mean silhouette, with inertia and Calinski–Harabasz per k. Clusters numbered by descending size.
 */
import type { MetricContext } from '../context.js';
import type { MetricDef } from '../metric.js';
import { makeBasis, makeQuality, r10, ratio, result, t } from '../metric.js';
import type { LocalText, MetricResult } from '../types.js';
import { selectK } from './cluster-stats.js';
import { inertiaOf } from './kmeans.js';
import { badParam, dayParam, intParam, medianInPlace, whereParam } from './generic-util.js';
import { CUSTOMER_FEATURES, customerFrame, maskId, skewness } from './mining-features.js';

/** One cluster of the result (cluster 1 = the largest). */
export interface ClusterRow {
  cluster: number;
  label: LocalText;
  size: number;
  share: number | null;
  /** Mean of each feature over the members, original units. */
  centroid: Record<string, number | null>;
  median: Record<string, number | null>;
  /** Centroid in the standardised space (what the label reads). */
  z: Record<string, number>;
}

/** One row of the k table. */
export interface KRow {
  k: number;
  inertia: number;
  silhouette: number | null;
  calinskiHarabasz: number | null;
  chosen: boolean;
}

/** Words for a feature's high / low z-score in a cluster label. */
const WORDS: Record<string, [LocalText, LocalText]> = {
  recency: [t('沉睡', 'dormant'), t('近期活跃', 'recently active')],
  frequency: [t('高频', 'frequent'), t('低频', 'infrequent')],
  monetary: [t('高额', 'high-spend'), t('低额', 'low-spend')],
  net_flow: [t('净流入', 'net inflow'), t('净流出', 'net outflow')],
  flow_trend: [t('近期升温', 'warming up'), t('近期降温', 'cooling down')],
  tenure: [t('老客', 'long-standing'), t('新客', 'new')],
  aum: [t('高资产', 'high-AUM'), t('低资产', 'low-AUM')],
  age: [t('年长', 'older'), t('年轻', 'younger')],
  products: [t('多产品', 'multi-product'), t('单产品', 'few-product')],
  loans: [t('多贷', 'many loans'), t('少贷', 'few loans')],
  principal: [t('大额借款', 'large borrowing'), t('小额借款', 'small borrowing')],
  overdue: [t('有逾期', 'past overdue'), t('无逾期', 'no overdue')],
};

/** Suggested label: up to 3 features with |z| ≥ 0.5, strongest first; else 均衡 / average. */
export function clusterLabel(z: Record<string, number>): LocalText {
  const parts = Object.entries(z)
    .filter(([, v]) => Math.abs(v) >= 0.5)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || (a[0] < b[0] ? -1 : 1))
    .slice(0, 3)
    .map(([f, v]) => WORDS[f]![v > 0 ? 0 : 1]);
  if (!parts.length) return t('均衡', 'Average');
  return t(
    parts.map((p) => p['zh-CN']).join(''),
    parts
      .map((p) => p['en-US'])
      .join(', ')
      .replace(/^./, (c) => c.toUpperCase()),
  );
}

function featuresParam(v: unknown): string[] {
  if (v === undefined || v === null) return ['recency', 'frequency', 'monetary'];
  if (!Array.isArray(v) || !v.length || v.some((x) => typeof x !== 'string' || !CUSTOMER_FEATURES[x]))
    throw badParam(
      'features',
      `features must be a non-empty array of ${Object.keys(CUSTOMER_FEATURES).join(', ')}`,
      v,
    );
  return [...new Set(v as string[])];
}

function numbersParam(v: unknown, name: string): number[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number'))
    throw badParam(name, `${name} must be an array of cluster numbers`, v);
  return v as number[];
}

function runCluster(ctx: MetricContext, params: Record<string, unknown>): MetricResult<ClusterRow> {
  const features = featuresParam(params.features);
  const kGiven = params.k === undefined || params.k === null ? null : intParam(params, 'k', 3, 1, 50);
  const kMin = intParam(params, 'kMin', 2, 2, 50);
  const kMax = intParam(params, 'kMax', 10, kMin, 50);
  const seed = intParam(params, 'seed', 42, 0, 2 ** 31 - 1);
  const restarts = intParam(params, 'restarts', 10, 1, 100);
  const maxIterations = intParam(params, 'maxIterations', 300, 1, 10000);
  const sampleSize = intParam(params, 'sampleSize', 5000, 100, 20000);
  const windowDays = intParam(params, 'windowDays', 365, 1, 100000);
  const transform = params.transform === 'none' ? 'none' : 'auto';
  const includeAssignments = params.includeAssignments === true;
  const limit = intParam(params, 'limit', 500, 1, 10000);
  const members = numbersParam(params.members, 'members');
  const where = whereParam(params);
  const frame = customerFrame(ctx, features, { asOf: dayParam(params, 'asOf'), windowDays, where });
  const d = features.length;
  // Entities with every feature known.
  const keep: number[] = [];
  let missing = 0;
  for (let j = 0; j < frame.ids.length; j++) {
    if (features.every((f) => !Number.isNaN(frame.values[f]![j]!))) keep.push(j);
    else missing++;
  }
  const n = keep.length;
  const raw = new Float64Array(n * d);
  features.forEach((f, c) => {
    const v = frame.values[f]!;
    for (let i = 0; i < n; i++) raw[i * d + c] = v[keep[i]!]!;
  });
  // Preprocessing: log1p where skewed and non-negative, then z-scores.
  const logged: string[] = [];
  const x = Float64Array.from(raw);
  const mean = new Array<number>(d).fill(0);
  const sd = new Array<number>(d).fill(1);
  features.forEach((f, c) => {
    const col = new Float64Array(n);
    let nonNeg = true;
    for (let i = 0; i < n; i++) {
      col[i] = x[i * d + c]!;
      if (col[i]! < 0) nonNeg = false;
    }
    if (transform === 'auto' && nonNeg && Math.abs(skewness(col)) > 1) {
      logged.push(f);
      for (let i = 0; i < n; i++) x[i * d + c] = Math.log1p(x[i * d + c]!);
    }
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * d + c]!;
    m /= n || 1;
    let s = 0;
    for (let i = 0; i < n; i++) s += (x[i * d + c]! - m) ** 2;
    const sdv = Math.sqrt(s / (n || 1)) || 1;
    mean[c] = m;
    sd[c] = sdv;
    for (let i = 0; i < n; i++) x[i * d + c] = (x[i * d + c]! - m) / sdv;
  });

  const basisOpts = {
    features,
    k: kGiven,
    kMin,
    kMax,
    seed,
    restarts,
    maxIterations,
    sampleSize,
    windowDays,
    transform,
    asOf: frame.asOf,
    where,
  };
  const notes: LocalText[] = [
    t(
      `预处理：${logged.length ? `对偏态（|偏度| > 1）非负特征 ${logged.join('、')} 取 log1p，` : ''}再做 z-score 标准化。K-means++ 初始化，种子 ${seed}，最多 ${maxIterations} 次迭代，${restarts} 次重启取惯性最小者。`,
      `Preprocessing: ${logged.length ? `log1p on the skewed (|skewness| > 1) non-negative features ${logged.join(', ')}, then ` : ''}z-scores. K-means++ initialisation, seed ${seed}, at most ${maxIterations} iterations, best of ${restarts} restarts by inertia.`,
    ),
    t(
      '簇按规模降序编号；质心为簇内各特征原始单位的均值；标签取 |z| ≥ 0.5 的最多 3 个特征。',
      'Clusters are numbered by descending size; the centroid is the mean of each feature in original units; the label names up to 3 features with |z| ≥ 0.5.',
    ),
  ];
  const kTable: KRow[] = [];
  const kMaxEff = Math.min(kMax, Math.max(kMin, n - 1));
  const ks =
    kGiven !== null ? [kGiven] : Array.from({ length: Math.max(0, kMaxEff - kMin + 1) }, (_, i) => kMin + i);
  const quality = makeQuality(frame.rows, frame.used, {
    customers_missing_feature: missing,
    customers_no_activity: frame.noActivity,
  });
  const basis = (extra: LocalText[] = []) =>
    makeBasis(ctx, {
      metric: 'cluster',
      title: t('K-means 客户分群', 'K-means customer clusters'),
      formula: t(
        '特征 → log1p（偏态）→ z-score → K-means++（种子、重启）；k 由平均轮廓系数在候选中选出',
        'features → log1p (skewed) → z-scores → k-means++ (seeded, restarts); k chosen by the mean silhouette',
      ),
      measure: 'count',
      asOf: frame.asOf,
      options: basisOpts,
      exclusions: [
        t(
          `缺少特征值的客户不参与：${missing} 户；窗口内无交易的客户：${frame.noActivity} 户。`,
          `Customers with a missing feature are left out: ${missing}; customers with no transaction in the window: ${frame.noActivity}.`,
        ),
      ],
      notes: [...notes, ...extra],
    });
  if (n < 2 || ks.length === 0 || ks[0]! > n) return result([], basis(), quality, { features, kTable });

  // k selection on a seeded sample (all points below sampleSize), then the final fit on all.
  const sel = selectK(x, n, d, ks, { seed, restarts, maxIterations, sampleSize, given: kGiven });
  const { chosen, fit, sampled, m } = sel;
  for (const row of sel.kTable)
    kTable.push({
      k: row.k,
      inertia: r10(row.inertia),
      silhouette: row.silhouette === null ? null : r10(row.silhouette),
      calinskiHarabasz: row.calinskiHarabasz === null ? null : r10(row.calinskiHarabasz),
      chosen: row.k === chosen,
    });

  // Renumber by descending size (ties: smaller first centroid coordinate, then lower old id).
  const size = new Float64Array(chosen);
  for (let i = 0; i < n; i++) size[fit.labels[i]!]!++;
  const old = Array.from({ length: chosen }, (_, c) => c).sort(
    (a, b) => size[b]! - size[a]! || fit.centroids[a * d]! - fit.centroids[b * d]! || a - b,
  );
  const renum = new Int32Array(chosen);
  old.forEach((o, nw) => (renum[o] = nw));
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) label[i] = renum[fit.labels[i]!]!;

  const data: ClusterRow[] = [];
  for (let c = 0; c < chosen; c++) {
    const o = old[c]!;
    const centroid: Record<string, number | null> = {};
    const median: Record<string, number | null> = {};
    const z: Record<string, number> = {};
    features.forEach((f, j) => {
      const vals: number[] = [];
      let s = 0;
      let zs = 0;
      for (let i = 0; i < n; i++)
        if (label[i] === c) {
          vals.push(raw[i * d + j]!);
          s += raw[i * d + j]!;
          zs += x[i * d + j]!;
        }
      centroid[f] = vals.length ? r10(s / vals.length) : null;
      median[f] = vals.length ? r10(medianInPlace(Float64Array.from(vals))) : null;
      z[f] = vals.length ? r10(zs / vals.length) : 0;
    });
    void o;
    data.push({
      cluster: c + 1,
      label: clusterLabel(z),
      size: size[old[c]!]!,
      share: ratio(size[old[c]!]!, n),
      centroid,
      median,
      z,
    });
  }
  const meta: Record<string, unknown> = {
    k: chosen,
    kSelection: kGiven === null ? 'silhouette' : 'given',
    kTable,
    features: features.map((f) => ({
      feature: f,
      label: CUSTOMER_FEATURES[f]!.label,
      unit: CUSTOMER_FEATURES[f]!.unit,
      log1p: logged.includes(f),
      mean: r10(mean[features.indexOf(f)]!),
      sd: r10(sd[features.indexOf(f)]!),
    })),
    entities: n,
    inertia: r10(inertiaOf(x, n, d, fit.labels, fit.centroids)),
    iterations: fit.iterations,
    converged: fit.converged,
    sampled: sampled ? m : null,
    asOf: frame.asOf,
  };
  if (members !== null) {
    for (const c of members)
      if (!Number.isInteger(c) || c < 1 || c > chosen)
        throw badParam('members', `Unknown cluster ${c} (1..${chosen})`, c);
    const want = new Set(members);
    const ids: string[] = [];
    for (let i = 0; i < n; i++) if (want.has(label[i]! + 1)) ids.push(frame.ids[keep[i]!]!);
    meta.memberField = 'customer_id';
    meta.members = ids;
  }
  if (includeAssignments) {
    const mask = params.maskIds !== false;
    const list: Array<Record<string, unknown>> = [];
    for (let i = 0; i < n && list.length < limit; i++) {
      const row: Record<string, unknown> = {
        customer_id: mask ? maskId(frame.ids[keep[i]!]!) : frame.ids[keep[i]!]!,
        cluster: label[i]! + 1,
      };
      features.forEach((f, j) => (row[f] = r10(raw[i * d + j]!)));
      list.push(row);
    }
    meta.assignmentsTotal = n;
    meta.assignments = list;
  }
  const extra = sampled
    ? [
        t(
          `实体超过 ${sampleSize} 个：k 的选择（轮廓系数、惯性、CH）在种子 ${seed} 抽取的 ${m} 个样本上计算，最终聚类用全部 ${n} 个实体。`,
          `More than ${sampleSize} entities: k selection (silhouette, inertia, CH) ran on a seeded sample of ${m} (seed ${seed}); the final clustering uses all ${n}.`,
        ),
      ]
    : [];
  return result(data, basis(extra), quality, meta);
}

export const clusterMetric: MetricDef = {
  id: 'cluster',
  source: 'transactions',
  reads: ['customers', 'loans', 'loan_months'],
  run: (ctx, params) => runCluster(ctx, params ?? {}),
};
