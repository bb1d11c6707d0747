/**
 * `profile`: customer profile (客户画像) of a group against a base, METRICS.md "Profiles". The
 * group is an RFM segment, a cluster, a model label (bad/good, churned/kept), a filter or an id
 * list; the base is every customer in scope (default) or the rest. Per categorical attribute:
 * each value's share in group and base and TGI = group share / base share × 100; per numeric
 * attribute: mean, median and quartiles in both. Values under 30 group entities are flagged small.
 */
import { NULL_INDEX } from '../../data/dataset.js';
import type { MetricContext } from '../context.js';
import type { MetricDef } from '../metric.js';
import { makeBasis, makeQuality, r10, ratio, result, t } from '../metric.js';
import type { FilterClause, LocalText, MetricResult } from '../types.js';
import { badParam, cmpStr, intParam, quantileSorted, rowList } from './generic-util.js';
import { buildSample } from './mining-sample.js';

/** One categorical attribute value (data rows). */
export interface ProfileRow {
  attribute: string;
  attributeLabel: LocalText;
  value: string;
  groupCount: number;
  /** groupCount / group size. */
  groupShare: number | null;
  baseCount: number;
  baseShare: number | null;
  /** groupShare / baseShare × 100; null when the base share is 0. */
  tgi: number | null;
  /** Fewer than `minCount` (30) group entities hold this value. */
  small: boolean;
}

export interface NumericSummary {
  n: number;
  mean: number | null;
  median: number | null;
  q1: number | null;
  q3: number | null;
}

const CAT_ATTRS: Record<string, LocalText> = {
  age_band: t('年龄段', 'Age band'),
  gender: t('性别', 'Gender'),
  city_tier: t('城市等级', 'City tier'),
  city: t('城市', 'City'),
  region: t('地区', 'Region'),
  segment: t('客群', 'Segment'),
  risk_grade: t('风险等级', 'Risk grade'),
  product: t('贷款产品', 'Loan product'),
  channel: t('获客渠道', 'Loan channel'),
};
const NUM_ATTRS: Record<string, LocalText> = {
  age: t('年龄', 'Age'),
  aum: t('资产 AUM', 'AUM'),
  products: t('持有产品数', 'Products held'),
  tenure_years: t('开户年限', 'Tenure (years)'),
  loans: t('贷款笔数', 'Loans'),
};

/** Age band of METRICS.md: 18–25 / 26–35 / 36–45 / 46–55 / 56+ (under 18: <18). */
export function ageBand(age: number): string | null {
  if (!Number.isFinite(age)) return null;
  return age < 18
    ? '<18'
    : age <= 25
      ? '18-25'
      : age <= 35
        ? '26-35'
        : age <= 45
          ? '36-45'
          : age <= 55
            ? '46-55'
            : '56+';
}

function summary(v: number[]): NumericSummary {
  const s = v.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return { n: 0, mean: null, median: null, q1: null, q3: null };
  return {
    n: s.length,
    mean: r10(s.reduce((a, b) => a + b, 0) / s.length),
    median: r10(quantileSorted(s, 0.5)),
    q1: r10(quantileSorted(s, 0.25)),
    q3: r10(quantileSorted(s, 0.75)),
  };
}

interface GroupSpec {
  ids: Set<string>;
  /** The universe when the group defines its own (model labels); null = all customers in scope. */
  universe: Set<string> | null;
  label: LocalText;
  kind: string;
}

function groupOf(ctx: MetricContext, g: unknown): GroupSpec {
  if (!g || typeof g !== 'object')
    throw badParam('group', 'group must be { segment } | { cluster } | { label } | { where } | { ids }', g);
  const o = g as Record<string, unknown>;
  if (typeof o.segment === 'string') {
    const r = ctx.runMetric('rfm', { ...((o.rfm as object) ?? {}), members: [o.segment] });
    const row = (r.data as Array<{ segment: string; label: LocalText }>).find((x) => x.segment === o.segment);
    return {
      ids: new Set((r.meta?.members as string[]) ?? []),
      universe: null,
      label: row?.label ?? t(o.segment, o.segment),
      kind: 'segment',
    };
  }
  if (typeof o.cluster === 'number') {
    const r = ctx.runMetric('cluster', { ...((o.clusterParams as object) ?? {}), members: [o.cluster] });
    const row = (r.data as Array<{ cluster: number; label: LocalText }>).find((x) => x.cluster === o.cluster);
    const l = row?.label ?? t('', '');
    return {
      ids: new Set((r.meta?.members as string[]) ?? []),
      universe: null,
      label: t(`簇 ${o.cluster}：${l['zh-CN']}`, `Cluster ${o.cluster}: ${l['en-US']}`),
      kind: 'cluster',
    };
  }
  if (o.label === 'default' || o.label === 'churn') {
    const want = o.value === 0 ? 0 : 1;
    const s = buildSample(
      ctx,
      o.label,
      (o.params as Record<string, unknown>) ?? {},
      o.label === 'default' ? 'loans' : 'transactions',
    );
    const universe = new Set<string>();
    const ids = new Set<string>();
    if (o.label === 'default') {
      // Loans → customers: a customer is bad when any of their loans is.
      const lds = ctx.dataset('loans');
      const lid = lds.cols['loan_id'];
      const cid = lds.cols['customer_id'];
      const owner = new Map<string, string>();
      if (lid?.kind === 'cat' && cid?.kind === 'cat')
        for (let i = 0; i < lds.n; i++)
          if (lid.codes[i]! >= 0 && cid.codes[i]! >= 0)
            owner.set(lid.dict[lid.codes[i]!]!, cid.dict[cid.codes[i]!]!);
      const bad = new Set<string>();
      s.ids.forEach((id, i) => {
        const c = owner.get(id);
        if (c === undefined) return;
        universe.add(c);
        if (s.label[i]) bad.add(c);
      });
      for (const c of universe) if ((bad.has(c) ? 1 : 0) === want) ids.add(c);
    } else {
      // Churn: the latest observation date only.
      let last = NULL_INDEX;
      for (const d of s.day) if (d > last) last = d;
      s.ids.forEach((id, i) => {
        if (s.day[i] !== last) return;
        universe.add(id);
        if (s.label[i] === want) ids.add(id);
      });
    }
    const names =
      o.label === 'default'
        ? [t('未违约客户', 'Good customers'), t('违约客户', 'Bad customers')]
        : [t('留存客户', 'Kept customers'), t('流失客户', 'Churned customers')];
    return { ids, universe, label: names[want]!, kind: `label:${o.label}` };
  }
  if (Array.isArray(o.where)) {
    const rows = rowList(ctx.dataset('customers'), ctx.rows('customers', o.where as FilterClause[]));
    const c = ctx.dataset('customers').cols['customer_id'];
    const ids = new Set<string>();
    if (c?.kind === 'cat') for (const i of rows) if (c.codes[i]! >= 0) ids.add(c.dict[c.codes[i]!]!);
    return {
      ids,
      universe: null,
      label: typeof o.name === 'string' ? t(o.name, o.name) : t('筛选客群', 'Filtered group'),
      kind: 'where',
    };
  }
  if (Array.isArray(o.ids) && o.ids.every((x) => typeof x === 'string')) {
    return {
      ids: new Set(o.ids as string[]),
      universe: null,
      label: typeof o.name === 'string' ? t(o.name, o.name) : t('指定客户', 'Listed customers'),
      kind: 'ids',
    };
  }
  throw badParam(
    'group',
    'group must be { segment } | { cluster } | { label: "default" | "churn" } | { where } | { ids }',
    g,
  );
}

function runProfile(ctx: MetricContext, params: Record<string, unknown>): MetricResult<ProfileRow> {
  const minCount = intParam(params, 'minCount', 30, 1, 100000);
  const baseKind = params.base === 'rest' ? 'rest' : 'all';
  const group = groupOf(ctx, params.group);
  const cds = ctx.dataset('customers');
  const cid = cds.cols['customer_id'];
  if (!cid || cid.kind !== 'cat') throw badParam('group', 'profile needs customers.customer_id');
  const crow = rowList(cds, ctx.rows('customers'));
  // Customers in scope, one row each, in id order.
  const seen = new Set<string>();
  const rows: number[] = [];
  for (const i of crow) {
    const c = cid.codes[i]!;
    if (c < 0) continue;
    const id = cid.dict[c]!;
    if (seen.has(id) || (group.universe && !group.universe.has(id))) continue;
    seen.add(id);
    rows.push(i);
  }
  rows.sort((a, b) => cmpStr(cid.dict[cid.codes[a]!]!, cid.dict[cid.codes[b]!]!));
  const inGroup = rows.map((i) => group.ids.has(cid.dict[cid.codes[i]!]!));
  const inBase = inGroup.map((g) => baseKind === 'all' || !g);
  const outside = [...group.ids].filter((id) => !seen.has(id)).length;
  // As-of year for ages: the latest date among the customers' open dates and loans' issue dates.
  let lastDay = NULL_INDEX;
  for (const [ds, f] of [
    ['customers', 'open_date'],
    ['loans', 'issue_date'],
    ['transactions', 'txn_time'],
  ] as const) {
    if (!ctx.has(ds)) continue;
    const c = ctx.dataset(ds).cols[f];
    if (c?.kind === 'date')
      for (let i = 0; i < c.day.length; i++) if (c.day[i]! > lastDay) lastDay = c.day[i]!;
  }
  const year = lastDay === NULL_INDEX ? NaN : new Date(lastDay * 86400000).getUTCFullYear();
  // Loan products and channels per customer (multi-valued).
  const loanVals: Record<'product' | 'channel', Map<string, Set<string>>> = {
    product: new Map(),
    channel: new Map(),
  };
  const loanCount = new Map<string, number>();
  if (ctx.has('loans')) {
    const lds = ctx.dataset('loans');
    const lc = lds.cols['customer_id'];
    if (lc?.kind === 'cat')
      for (const i of rowList(lds, ctx.rows('loans'))) {
        if (lc.codes[i]! < 0) continue;
        const id = lc.dict[lc.codes[i]!]!;
        loanCount.set(id, (loanCount.get(id) ?? 0) + 1);
        for (const f of ['product', 'channel'] as const) {
          const c = lds.cols[f];
          if (c?.kind !== 'cat' || c.codes[i]! < 0) continue;
          let set = loanVals[f].get(id);
          if (!set) loanVals[f].set(id, (set = new Set()));
          set.add(c.dict[c.codes[i]!]!);
        }
      }
  }
  const catValues = (attr: string, i: number, id: string): string[] => {
    if (attr === 'product' || attr === 'channel') return [...(loanVals[attr].get(id) ?? [])];
    if (attr === 'age_band') {
      const by = cds.cols['birth_year'];
      const b = by?.kind === 'num' ? ageBand(year - by.data[i]!) : null;
      return b === null ? [] : [b];
    }
    const c = cds.cols[attr];
    if (c?.kind !== 'cat' || c.codes[i]! < 0) return [];
    return [c.dict[c.codes[i]!]!];
  };
  const numValue = (attr: string, i: number, id: string): number => {
    const c = (f: string) => cds.cols[f];
    if (attr === 'age') {
      const by = c('birth_year');
      return by?.kind === 'num' ? year - by.data[i]! : NaN;
    }
    if (attr === 'tenure_years') {
      const od = c('open_date');
      return od?.kind === 'date' && od.day[i] !== NULL_INDEX && lastDay !== NULL_INDEX
        ? r10((lastDay - od.day[i]!) / 365.25)
        : NaN;
    }
    if (attr === 'loans') return ctx.has('loans') ? (loanCount.get(id) ?? 0) : NaN;
    const col = c(attr);
    return col?.kind === 'num' ? col.data[i]! : NaN;
  };
  const available = (attr: string): boolean =>
    attr === 'product' || attr === 'channel'
      ? ctx.has('loans')
      : attr === 'age_band'
        ? !!cds.cols['birth_year']
        : !!cds.cols[attr];
  const catAttrs = (
    Array.isArray(params.attributes)
      ? (params.attributes as string[]).filter((a) => CAT_ATTRS[a])
      : Object.keys(CAT_ATTRS)
  ).filter(available);
  const numAttrs = (
    Array.isArray(params.numeric)
      ? (params.numeric as string[]).filter((a) => NUM_ATTRS[a])
      : Object.keys(NUM_ATTRS)
  ).filter((a) =>
    a === 'loans'
      ? ctx.has('loans')
      : a === 'age'
        ? !!cds.cols['birth_year']
        : a === 'tenure_years'
          ? !!cds.cols['open_date']
          : !!cds.cols[a],
  );
  let G = 0;
  let B = 0;
  for (let k = 0; k < rows.length; k++) {
    if (inGroup[k]) G++;
    if (inBase[k]) B++;
  }
  const data: ProfileRow[] = [];
  for (const attr of catAttrs) {
    const gc = new Map<string, number>();
    const bc = new Map<string, number>();
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k]!;
      const id = cid.dict[cid.codes[i]!]!;
      for (const v of catValues(attr, i, id)) {
        if (inGroup[k]) gc.set(v, (gc.get(v) ?? 0) + 1);
        if (inBase[k]) bc.set(v, (bc.get(v) ?? 0) + 1);
      }
    }
    const values = [...new Set([...bc.keys(), ...gc.keys()])].sort((a, b) =>
      attr === 'age_band' ? cmpStr(a, b) : (bc.get(b) ?? 0) - (bc.get(a) ?? 0) || cmpStr(a, b),
    );
    for (const v of values) {
      const g = gc.get(v) ?? 0;
      const b = bc.get(v) ?? 0;
      const gs = ratio(g, G);
      const bs = ratio(b, B);
      data.push({
        attribute: attr,
        attributeLabel: CAT_ATTRS[attr]!,
        value: v,
        groupCount: g,
        groupShare: gs,
        baseCount: b,
        baseShare: bs,
        tgi: gs !== null && bs ? r10((gs / bs) * 100) : null,
        small: g < minCount,
      });
    }
  }
  const numeric = numAttrs.map((attr) => {
    const gv: number[] = [];
    const bv: number[] = [];
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k]!;
      const v = numValue(attr, i, cid.dict[cid.codes[i]!]!);
      if (inGroup[k]) gv.push(v);
      if (inBase[k]) bv.push(v);
    }
    const g = summary(gv);
    const b = summary(bv);
    return {
      attribute: attr,
      label: NUM_ATTRS[attr]!,
      group: g,
      base: b,
      index: g.mean !== null && b.mean ? r10((g.mean / b.mean) * 100) : null,
    };
  });
  const quality = makeQuality(crow.length, rows.length, { group_ids_not_in_scope: outside });
  if (G < minCount)
    quality.warnings.push(
      t(
        `客群仅 ${G} 人（少于 ${minCount}）：占比与 TGI 波动大。`,
        `The group has only ${G} customers (under ${minCount}): shares and TGIs are volatile.`,
      ),
    );
  const basis = makeBasis(ctx, {
    metric: 'profile',
    title: t('客户画像', 'Customer profile'),
    formula: t('TGI = 客群占比 / 基准占比 × 100', 'TGI = group share / base share × 100'),
    measure: 'count',
    asOf: lastDay === NULL_INDEX ? null : new Date(lastDay * 86400000).toISOString().slice(0, 10),
    options: { group: params.group, base: baseKind, minCount, attributes: catAttrs, numeric: numAttrs },
    exclusions: outside
      ? [
          t(
            `客群中 ${outside} 个 id 不在当前客户范围内，未计入。`,
            `${outside} ids of the group are not among the customers in scope and are left out.`,
          ),
        ]
      : [],
    notes: [
      t(
        `基准：${baseKind === 'all' ? (group.universe ? '该标签定义下的全部客户' : '范围内全部客户') : '范围内除该客群外的客户'}。产品与渠道按客户是否持有计（一位客户可计入多个取值，合计可超过 100%）。年龄与开户年限按数据最新日期计算。客群内人数少于 ${minCount} 的取值标记为小样本。`,
        `Base: ${baseKind === 'all' ? (group.universe ? 'every customer under the label definition' : 'every customer in scope') : 'the customers in scope outside the group'}. Products and channels count customers holding them (a customer may count under several values; shares can sum above 100%). Ages and tenure are as of the latest date in the data. Values held by fewer than ${minCount} group customers are flagged small.`,
      ),
    ],
  });
  return result(data, basis, quality, {
    group: { kind: group.kind, label: group.label, size: G, small: G < minCount },
    base: { kind: baseKind, size: B },
    numeric,
  });
}

export const profileMetric: MetricDef = {
  id: 'profile',
  source: 'customers',
  reads: ['transactions', 'loans', 'loan_months'],
  run: (ctx, params) => runProfile(ctx, params ?? {}),
};
