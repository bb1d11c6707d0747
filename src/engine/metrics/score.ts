/**
 * `score`: train a default / churn / cure (or custom) model and score entities, or apply a model
 * trained earlier (`params.model`). METRICS.md, "Scores": logistic regression with intercept and L2
 * (IRLS, logit.ts) or CART (ml-cart); out-of-time split by default; optional score scaling.
 */
import type { MetricContext } from '../context.js';
import type { MetricDef } from '../metric.js';
import { makeBasis, makeQuality, r10, result, t } from '../metric.js';
import type { LocalText, MetricResult } from '../types.js';
import { badParam, enumParam, intParam, numParam } from './generic-util.js';
import { pValue } from './logit.js';
import { maskId, seededSample } from './mining-features.js';
import type { Definition, ModelSample } from './mining-sample.js';
import { buildSample } from './mining-sample.js';
import { auc, ksCurve } from './mining-stats.js';
import type { ScoreModel } from './score-model.js';
import {
  columnNames,
  design,
  developmentOf,
  encodingsOf,
  fitLogit,
  fitTree,
  predict,
  scaled,
  scalingOf,
  treeImportance,
} from './score-model.js';

/** Performance of the model on one sample. */
export interface Performance {
  n: number;
  events: number;
  eventRate: number | null;
  auc: number | null;
  gini: number | null;
  ks: number | null;
}

/** One coefficient (logistic) or feature importance (tree) row of `score`'s data. */
export interface ScoreTerm {
  /** `(intercept)`, a numeric feature, or `feature=level`. */
  term: string;
  feature: string | null;
  level: string | null;
  /** Logistic: coefficient on the original scale, its standard error, z and p-value. */
  estimate: number | null;
  stdError: number | null;
  z: number | null;
  pValue: number | null;
  /** Logistic: coefficient on the standardised scale (comparable across features). */
  estimateStd: number | null;
  /** Tree: share of the Gini decrease from splits on this feature. */
  importance: number | null;
}

/** Everything `score` and `model_monitor` share: the sample, the split, PDs and the model. */
export interface ScoreRun {
  sample: ModelSample;
  model: ScoreModel;
  /** Sample rows used to develop the model (empty when a given model was applied). */
  train: Int32Array;
  /** The other rows: test (out-of-time or random) or, with a given model, every row. */
  test: Int32Array;
  /** Event probability per sample row. */
  pd: Float64Array;
  split: Record<string, unknown>;
  terms: ScoreTerm[];
  fit: { iterations: number | null; converged: boolean | null; gradNorm: number | null } | null;
  applied: boolean;
}

export function performance(pd: Float64Array, label: Uint8Array, rows: ArrayLike<number>): Performance {
  const s = Float64Array.from(rows as ArrayLike<number>, (i) => pd[i]!);
  const y = Uint8Array.from(rows as ArrayLike<number>, (i) => label[i]!);
  let ev = 0;
  for (const v of y) ev += v;
  const a = auc(s, y);
  const ks = ksCurve(s, y).ks;
  return {
    n: y.length,
    events: ev,
    eventRate: y.length ? r10(ev / y.length) : null,
    auc: a === null ? null : r10(a),
    gini: a === null ? null : r10(2 * a - 1),
    ks: ks === null ? null : r10(ks),
  };
}

function monthLabel(m: number): string {
  return `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
}

/** Split rows into train and test: out-of-time by month (default) or seeded random. */
function splitRows(
  s: ModelSample,
  params: Record<string, unknown>,
): { train: Int32Array; test: Int32Array; info: Record<string, unknown> } {
  const n = s.ids.length;
  const hasDates = n > 0 && s.month.every((m) => m !== -2147483648);
  const kind = enumParam(params, 'split', ['oot', 'random'] as const, hasDates ? 'oot' : 'random');
  const trainShare = numParam(params, 'trainShare', 0.7)!;
  if (!(trainShare > 0 && trainShare < 1))
    throw badParam('trainShare', 'trainShare must be in (0, 1)', trainShare);
  if (kind === 'random') {
    const seed = intParam(params, 'seed', 42, 0, 2 ** 31 - 1);
    const tr = seededSample(n, Math.round(trainShare * n), seed);
    const inTrain = new Uint8Array(n);
    for (const i of tr) inTrain[i] = 1;
    const te = Int32Array.from({ length: n - tr.length }, () => 0);
    for (let i = 0, k = 0; i < n; i++) if (!inTrain[i]) te[k++] = i;
    return { train: tr, test: te, info: { kind, seed, trainShare } };
  }
  if (!hasDates) throw badParam('split', 'An out-of-time split needs observation dates (dateField)');
  const months = [...new Set(s.month)].sort((a, b) => a - b);
  let cutoff: number;
  if (typeof params.cutoff === 'string' && /^\d{4}-\d{2}$/.test(params.cutoff)) {
    cutoff = Number(params.cutoff.slice(0, 4)) * 12 + Number(params.cutoff.slice(5, 7)) - 1;
  } else {
    const count = new Map<number, number>();
    for (const m of s.month) count.set(m, (count.get(m) ?? 0) + 1);
    let acc = 0;
    cutoff = months[months.length - 1]!;
    for (const m of months) {
      if (acc >= trainShare * n) {
        cutoff = m;
        break;
      }
      acc += count.get(m)!;
    }
    if (cutoff === months[0] && months.length > 1) cutoff = months[1]!;
  }
  const tr: number[] = [];
  const te: number[] = [];
  for (let i = 0; i < n; i++) (s.month[i]! < cutoff ? tr : te).push(i);
  return {
    train: Int32Array.from(tr),
    test: Int32Array.from(te),
    info: { kind, cutoff: monthLabel(cutoff), trainShare },
  };
}

function definitionParam(params: Record<string, unknown>, model: ScoreModel | null): Definition {
  if (model) return model.definition;
  return enumParam(
    params,
    'definition',
    ['default', 'churn', 'cure', 'custom'] as const,
    params.label ? 'custom' : 'default',
  );
}

function modelParam(v: unknown): ScoreModel | null {
  if (v === undefined || v === null) return null;
  const m = v as Partial<ScoreModel>;
  if (
    typeof v !== 'object' ||
    m.format !== 'finboard-score-model' ||
    m.version !== 1 ||
    !Array.isArray(m.features) ||
    !m.development
  )
    throw badParam(
      'model',
      'model must be a model returned by score (meta.model, format finboard-score-model v1)',
    );
  return m as ScoreModel;
}

/** Train (or apply `params.model`) and score: shared by `score` and `model_monitor`. */
export function scoreRun(ctx: MetricContext, params: Record<string, unknown>, source: string): ScoreRun {
  const given = modelParam(params.model);
  const definition = definitionParam(params, given);
  const defParams = given ? { ...given.definitionParams } : params;
  const sample = buildSample(ctx, definition, defParams, source);
  const n = sample.ids.length;
  if (given) {
    const all = Int32Array.from({ length: n }, (_, i) => i);
    const { x, p } = design(sample, given.features, all);
    const pd = predict(given, x, n, p);
    const terms: ScoreTerm[] = given.logistic
      ? ['(intercept)', ...given.columns].map((term, j) => ({
          term,
          feature: j === 0 ? null : term.split('=')[0]!,
          level: j > 0 && term.includes('=') ? term.slice(term.indexOf('=') + 1) : null,
          estimate: j === 0 ? given.logistic!.intercept : given.logistic!.coefficients[j - 1]!,
          stdError: null,
          z: null,
          pValue: null,
          estimateStd: null,
          importance: null,
        }))
      : Object.entries(treeImportance(given.tree!, given.columns)).map(([f, v]) => ({
          term: f,
          feature: f,
          level: null,
          estimate: null,
          stdError: null,
          z: null,
          pValue: null,
          estimateStd: null,
          importance: r10(v),
        }));
    return {
      sample,
      model: given,
      train: new Int32Array(0),
      test: all,
      pd,
      split: { kind: 'applied' },
      terms,
      fit: null,
      applied: true,
    };
  }
  const kind = enumParam(params, 'algorithm', ['logistic', 'tree'] as const, 'logistic');
  const { train, test, info } = splitRows(sample, params);
  const enc = encodingsOf(sample, train);
  const columns = columnNames(enc);
  const tr = design(sample, enc, train);
  const ytr = Uint8Array.from(train, (i) => sample.label[i]!);
  const scaling = scalingOf(params.scaling);
  const model: ScoreModel = {
    format: 'finboard-score-model',
    version: 1,
    kind,
    definition,
    definitionParams: sample.params,
    features: enc,
    columns,
    scaling,
    development: { n: 0, events: 0, from: null, to: null, edges: [], bins: {} },
  };
  let terms: ScoreTerm[];
  let fit: ScoreRun['fit'] = null;
  let ok = train.length > 0;
  let ev = 0;
  for (const v of ytr) ev += v;
  if (ev === 0 || ev === ytr.length) ok = false;
  if (!ok)
    throw badParam('definition', 'The training sample needs both events and non-events', {
      train: train.length,
      events: ev,
    });
  if (kind === 'logistic') {
    const lambda = numParam(params, 'lambda', 1)!;
    if (!(lambda >= 0)) throw badParam('lambda', 'lambda must be ≥ 0', lambda);
    const f = fitLogit(tr.x, train.length, tr.p, ytr, lambda);
    model.logistic = { intercept: f.beta[0]!, coefficients: f.beta.slice(1), lambda };
    fit = { iterations: f.iterations, converged: f.converged, gradNorm: r10(f.gradNorm) };
    const cell = (v: number | null | undefined): number | null =>
      v === null || v === undefined || !Number.isFinite(v) ? null : r10(v);
    terms = ['(intercept)', ...columns].map((term, j): ScoreTerm => {
      const est = f.beta[j]!;
      const se = f.se[j] ?? null;
      const zs = se ? est / se : null;
      const [feat, level] =
        j === 0
          ? [null, null]
          : term.includes('=')
            ? [term.slice(0, term.indexOf('=')), term.slice(term.indexOf('=') + 1)]
            : [term, null];
      return {
        term,
        feature: feat,
        level,
        estimate: cell(est),
        stdError: cell(se),
        z: cell(zs),
        pValue: zs === null ? null : cell(pValue(zs)),
        estimateStd: cell(f.betaStd[j]),
        importance: null,
      };
    });
  } else {
    const maxDepth = intParam(params, 'maxDepth', 5, 1, 10);
    const minLeaf = numParam(params, 'minLeaf', 0.05)!;
    const seed = intParam(params, 'seed', 42, 0, 2 ** 31 - 1);
    model.tree = fitTree(tr.x, train.length, tr.p, ytr, {
      maxDepth,
      minLeaf,
      seed,
      cap: intParam(params, 'treeSample', 3000, 100, 100000),
    });
    const imp = treeImportance(model.tree, columns);
    terms = enc.map((e) => ({
      term: e.name,
      feature: e.name,
      level: null,
      estimate: null,
      stdError: null,
      z: null,
      pValue: null,
      estimateStd: null,
      importance: r10(imp[e.name] ?? 0),
    }));
    terms.sort((a, b) => b.importance! - a.importance!);
  }
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const full = design(sample, enc, all);
  const pd = predict(model, full.x, n, full.p);
  model.development = developmentOf(
    sample,
    train,
    Float64Array.from(train, (i) => pd[i]!),
  );
  return { sample, model, train, test, pd, split: info, terms, fit, applied: false };
}

/** Basis text shared by score and model_monitor. */
export function scoreNotes(run: ScoreRun): LocalText[] {
  const m = run.model;
  const notes: LocalText[] = [run.sample.definitionText];
  if (run.applied)
    notes.push(
      t(
        '应用已给定的模型（params.model），未重新训练。',
        'A given model (params.model) was applied, not retrained.',
      ),
    );
  else if (m.kind === 'logistic')
    notes.push(
      t(
        `逻辑回归（含截距），特征标准化后 L2 惩罚 λ = ${m.logistic!.lambda}（截距不惩罚），IRLS 迭代至梯度范数 < 1e-6；系数与标准误换算回原始尺度，标准误取自惩罚信息矩阵的逆。数值缺失以训练集中位数填补；类别以训练集最常见取值为参照（缺失为单独取值）。`,
        `Logistic regression with an intercept, L2 penalty λ = ${m.logistic!.lambda} on standardised features (intercept not penalised), IRLS to a gradient norm < 1e-6; coefficients and standard errors on the original scale, errors from the inverse penalised information matrix. Missing numbers take the training median; categories are coded against their most frequent training level (missing is a level).`,
      ),
    );
  else
    notes.push(
      t(
        'CART 决策树（ml-cart，Gini），训练样本超过上限时按种子抽样建树；叶节点样本不足训练集 5% 的分裂被剪除；叶节点概率为训练集该叶的事件率。',
        'CART decision tree (ml-cart, Gini), grown on a seeded sample when the training set exceeds the cap; splits leaving a leaf below 5% of the training rows are pruned; leaf probabilities are the training event rates.',
      ),
    );
  if (!run.applied)
    notes.push(
      run.split.kind === 'oot'
        ? t(
            `跨时间切分：观察月早于 ${String(run.split.cutoff)} 的为训练集，其余为测试集。`,
            `Out-of-time split: observation months before ${String(run.split.cutoff)} train, the rest test.`,
          )
        : t(
            `随机切分（种子 ${String(run.split.seed)}，训练占 ${String(run.split.trainShare)}）。`,
            `Random split (seed ${String(run.split.seed)}, train share ${String(run.split.trainShare)}).`,
          ),
    );
  if (m.scaling)
    notes.push(
      t(
        `评分 = A − B·ln(p/(1−p))，B = PDO/ln2 = ${r10(m.scaling.B)}，A = ${r10(m.scaling.A)}：好坏比 ${m.scaling.odds}:1 时为 ${m.scaling.base} 分，好坏比每翻倍加 ${m.scaling.pdo} 分；分数越高风险越低。`,
        `score = A − B·ln(p/(1−p)), B = PDO/ln 2 = ${r10(m.scaling.B)}, A = ${r10(m.scaling.A)}: ${m.scaling.base} at good:bad ${m.scaling.odds}:1, +${m.scaling.pdo} per doubling of the good:bad odds; higher = lower risk.`,
      ),
    );
  return notes;
}

function runScore(
  ctx: MetricContext,
  params: Record<string, unknown>,
  source: string,
): MetricResult<ScoreTerm> {
  const run = scoreRun(ctx, params, source);
  const { sample, model, pd } = run;
  const limit = intParam(params, 'limit', 500, 0, 10000);
  const includeScores = params.includeScores === true;
  const meta: Record<string, unknown> = {
    definition: model.definition,
    kind: model.kind,
    model,
    split: run.split,
    fit: run.fit,
    performance: {
      train: run.applied ? null : performance(pd, sample.label, run.train),
      test: performance(pd, sample.label, run.test),
    },
    features: sample.features.map((f) => ({ feature: f.name, kind: f.kind, label: f.label })),
  };
  if (includeScores) {
    const mask = params.maskIds !== false;
    const inTrain = new Uint8Array(sample.ids.length);
    for (const i of run.train) inTrain[i] = 1;
    const rows: Array<Record<string, unknown>> = [];
    for (let i = 0; i < sample.ids.length && rows.length < limit; i++) {
      const row: Record<string, unknown> = {
        id: mask ? maskId(sample.ids[i]!) : sample.ids[i]!,
        month: sample.month[i] === -2147483648 ? null : monthLabel(sample.month[i]!),
        split: run.applied ? 'applied' : inTrain[i] ? 'train' : 'test',
        label: sample.label[i]!,
        pd: r10(pd[i]!),
      };
      if (model.scaling) row.score = Math.round(scaled(model.scaling, pd[i]!) * 100) / 100;
      rows.push(row);
    }
    meta.idField = sample.idField;
    meta.scoresTotal = sample.ids.length;
    meta.scores = rows;
  }
  const excluded = { ...sample.excluded };
  const quality = makeQuality(sample.considered, sample.ids.length, excluded);
  if (run.fit && run.fit.converged === false)
    quality.warnings.push(
      t(
        '逻辑回归未在迭代上限内收敛（可能存在完全分离）：请增大 λ 或减少特征。',
        'The logistic regression did not converge within the iteration limit (possibly separation): raise λ or drop features.',
      ),
    );
  if (run.test.length === 0)
    quality.warnings.push(
      t('测试集为空：无样本外指标。', 'The test sample is empty: no out-of-sample figures.'),
    );
  const basis = makeBasis(ctx, {
    metric: 'score',
    title: t('评分模型', 'Score model'),
    formula:
      model.kind === 'logistic'
        ? t('P(事件) = σ(β₀ + Σ βⱼ xⱼ)', 'P(event) = σ(β₀ + Σ βⱼ xⱼ)')
        : t('P(事件) = 所在叶节点的训练事件率', 'P(event) = training event rate of the leaf'),
    measure: 'count',
    asOf: null,
    options: {
      definition: model.definition,
      model: run.applied ? 'given' : model.kind,
      definitionParams: model.definitionParams,
      split: run.split,
      scaling: model.scaling,
      lambda: model.logistic?.lambda ?? null,
    },
    exclusions: Object.entries(excluded)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => t(`未参与（${k}）：${v}`, `Left out (${k}): ${v}`)),
    notes: scoreNotes(run),
  });
  return result(run.terms, basis, quality, meta);
}

export const scoreMetric: MetricDef = {
  id: 'score',
  source: 'loans',
  reads: ['loan_months', 'customers', 'transactions'],
  run: (ctx, params, source) => runScore(ctx, params ?? {}, source),
};
