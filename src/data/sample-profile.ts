/**
 * Customer attributes for the mining metrics (clusters, scores, profiles), added to the seeded
 * sample by generateSample() from its own random stream (`profile`), so the existing columns of
 * every dataset keep their values — except which customers stop transacting (see churn below).
 *
 * - `city_tier`: 一线 / 新一线 / 二线 / 三线及以下, from the city (a fixed table, no randomness).
 * - `products`: products held — the current account, a second account, one per distinct loan
 *   product, a credit card (more likely for lower risk), wealth products (by segment and AUM).
 * - `risk_grade` A–E: an observed, noisy proxy of the customer's latent risk (a bureau grade at
 *   onboarding): ln(risk) + N(0, 0.35²), cut at fixed points; A is the safest.
 * - Latent risk: the generator's per-customer `risk` (lognormal, mean 1, σ_ln 0.5) already drives
 *   the delinquency chain (M0 → M1 hazard ∝ risk, cure ∝ risk^−0.3). It now drives churn too: a
 *   customer stops transacting with probability 0.1 · risk^1.5 / mean(risk^1.5) (capped at 0.6),
 *   in a month drawn uniformly over the transaction window — churn and default share a cause, as a
 *   `churn` model and a `profile` of churned customers should find.
 */
import { Rng } from './sample-random.js';

/** City → tier (2024 commercial city rankings, simplified). */
const TIER1 = new Set(['北京', '上海', '广州', '深圳']);
const NEW_TIER1 = new Set([
  '成都',
  '杭州',
  '重庆',
  '武汉',
  '西安',
  '苏州',
  '南京',
  '天津',
  '长沙',
  '郑州',
  '东莞',
  '青岛',
  '沈阳',
  '宁波',
  '昆明',
  '合肥',
  '佛山',
]);
const TIER2 = new Set([
  '福州',
  '厦门',
  '济南',
  '南昌',
  '石家庄',
  '太原',
  '南宁',
  '贵阳',
  '大连',
  '长春',
  '哈尔滨',
  '兰州',
  '无锡',
  '温州',
]);

export const CITY_TIERS = ['一线', '新一线', '二线', '三线及以下'] as const;
export const RISK_GRADES = ['A', 'B', 'C', 'D', 'E'] as const;

export function cityTier(city: string): string {
  return TIER1.has(city) ? '一线' : NEW_TIER1.has(city) ? '新一线' : TIER2.has(city) ? '二线' : '三线及以下';
}

export interface ProfileInput {
  seed: number;
  /** Per customer: city, segment index (0 mass, 1 VIP, 2 private), AUM, latent risk, second account. */
  city: readonly string[];
  seg: ArrayLike<number>;
  aum: ArrayLike<number>;
  risk: ArrayLike<number>;
  hasAccount2: ArrayLike<boolean>;
  /** Per loan: its customer index and product index. */
  loanCustomer: ArrayLike<number>;
  loanProduct: ArrayLike<number>;
  /** Months of the calendar and of the transaction window. */
  months: number;
  txnMonths: number;
}

export interface ProfileOutput {
  columns: { city_tier: string[]; products: number[]; risk_grade: string[] };
  /** Month offset after which each customer stops transacting (months = never). */
  churnJ: Int32Array;
}

export function genProfile(p: ProfileInput): ProfileOutput {
  const rng = new Rng(p.seed, 'profile');
  const n = p.city.length;
  const loanProducts: Array<Set<number>> = Array.from({ length: n }, () => new Set());
  for (let l = 0; l < p.loanCustomer.length; l++) loanProducts[p.loanCustomer[l]!]!.add(p.loanProduct[l]!);
  let norm = 0;
  for (let i = 0; i < n; i++) norm += Math.pow(p.risk[i]!, 1.5);
  norm = n ? norm / n : 1;
  const tier: string[] = [];
  const products: number[] = [];
  const grade: string[] = [];
  const churnJ = new Int32Array(n);
  // Grade cut points on ln(risk) + noise (sd ≈ 0.61): roughly 15 / 25 / 30 / 20 / 10 %.
  const cuts = [-0.75, -0.29, 0.2, 0.66];
  for (let i = 0; i < n; i++) {
    tier.push(cityTier(p.city[i]!));
    const r = p.risk[i]!;
    const z = Math.log(r) + 0.35 * rng.normal();
    let g = 0;
    while (g < cuts.length && z > cuts[g]!) g++;
    grade.push(RISK_GRADES[g]!);
    let k = 1 + (p.hasAccount2[i] ? 1 : 0) + loanProducts[i]!.size;
    if (rng.next() < Math.min(0.85, 0.45 / Math.sqrt(r))) k++; // credit card
    const s = p.seg[i]!;
    if (s >= 1 || p.aum[i]! > 100000 || rng.next() < 0.15) k++; // wealth product
    if (s === 2 && rng.next() < 0.6) k++; // private-banking mandate
    products.push(k);
    const pChurn = Math.min(0.6, (0.1 * Math.pow(r, 1.5)) / norm);
    const u = rng.next();
    const w = rng.int(p.txnMonths);
    churnJ[i] = u < pChurn ? p.months - 1 - w : p.months;
  }
  return { columns: { city_tier: tier, products, risk_grade: grade }, churnJ };
}
