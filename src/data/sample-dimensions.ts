/** The category values the sample generator draws from (exported as `SAMPLE_DIMENSIONS`). */
import { CITIES, DOMESTIC_BANKS, FOREIGN_BANKS, PLATFORMS, REGIONS } from './sample-names.js';
import { pad } from './sample-random.js';

export const PRODUCTS = ['消费贷', '经营贷', '信用卡分期', '房贷'] as const;

export const LOAN_CHANNELS = ['线上APP', '网点', '合作渠道', '电销'] as const;

export const SEGMENTS = ['大众客户', '贵宾客户', '私行客户'] as const;

const GENDERS = ['男', '女'] as const;

export const STATUSES = ['active', 'closed', 'written_off'] as const;

export const TEAMS = ['M1组', 'M2组', 'M3+组'] as const;

export const TEAM_SIZES = [14, 10, 8];

export const ACTION_CHANNELS = ['phone', 'sms', 'ivr', 'visit', 'legal'] as const;

export const TXN_CATEGORIES = [
  '工资',
  '奖金',
  '转账转入',
  '转账转出',
  '消费',
  '缴费',
  '理财购买',
  '理财赎回',
  '贷款还款',
  '取现',
  '存现',
  '跨境汇款',
  '跨境汇入',
] as const;

export const TXN_CHANNELS = ['手机银行', '网银', '柜面', 'ATM', '第三方支付'] as const;

export const COUNTERPARTY_TYPES = ['individual', 'company', 'platform'] as const;

export const FUNNEL_STAGES = ['曝光', '点击', '注册', '申请', '审批通过', '放款'] as const;

export const FUNNEL_CHANNELS = [
  '抖音',
  '微信朋友圈',
  '百度搜索',
  '应用商店',
  '线下地推',
  '老客推荐',
] as const;

export interface Campaign {
  name: string;
  /** [startMonth, startDay, endMonth, endDay] every year, or null for always on. */
  window: [number, number, number, number] | null;
  channels: number[];
  /** Traffic multiplier while running (seasonal campaigns add `boost − 1` on top of the base). */
  boost: number;
}

export const CAMPAIGNS: readonly Campaign[] = [
  { name: '品牌常投', window: null, channels: [0, 1, 2, 3, 4], boost: 1 },
  { name: '老带新', window: null, channels: [5], boost: 1 },
  { name: '开门红', window: [1, 2, 2, 28], channels: [0, 1, 4], boost: 1.6 },
  { name: '618消费季', window: [5, 25, 6, 18], channels: [0, 1, 2, 3], boost: 1.8 },
  { name: '暑期焕新', window: [7, 1, 8, 31], channels: [0, 3], boost: 1.3 },
  { name: '国庆金秋', window: [9, 20, 10, 7], channels: [0, 1, 4], boost: 1.6 },
  { name: '双十一', window: [10, 20, 11, 11], channels: [0, 1, 2, 3], boost: 2.0 },
  { name: '年终冲刺', window: [12, 1, 12, 31], channels: [1, 2, 4], boost: 1.4 },
];

/** Category values the generator uses (for filter bars, stories and tests); lists are in display order. */
export interface SampleDimensions {
  products: string[];
  /** Loan origination channels. */
  loanChannels: string[];
  regions: string[];
  cities: string[];
  /** City → region. */
  cityRegion: Record<string, string>;
  segments: string[];
  genders: string[];
  loanStatuses: string[];
  /** Collection teams by bucket. */
  teams: string[];
  collectors: string[];
  actionChannels: string[];
  txnCategories: string[];
  txnChannels: string[];
  counterpartyTypes: string[];
  counterpartyBanks: string[];
  /** Funnel stages in order. */
  funnelStages: string[];
  /** Acquisition (funnel and spend) channels. */
  funnelChannels: string[];
  campaigns: string[];
}

export const SAMPLE_DIMENSIONS: SampleDimensions = {
  products: [...PRODUCTS],
  loanChannels: [...LOAN_CHANNELS],
  regions: [...REGIONS],
  cities: CITIES.map((c) => c.name),
  cityRegion: Object.fromEntries(CITIES.map((c) => [c.name, c.region])),
  segments: [...SEGMENTS],
  genders: [...GENDERS],
  loanStatuses: [...STATUSES],
  teams: [...TEAMS],
  collectors: TEAM_SIZES.flatMap((_, t) => collectorIds(t)),
  actionChannels: [...ACTION_CHANNELS],
  txnCategories: [...TXN_CATEGORIES],
  txnChannels: [...TXN_CHANNELS],
  counterpartyTypes: [...COUNTERPARTY_TYPES],
  counterpartyBanks: [...DOMESTIC_BANKS, ...PLATFORMS, ...FOREIGN_BANKS],
  funnelStages: [...FUNNEL_STAGES],
  funnelChannels: [...FUNNEL_CHANNELS],
  campaigns: CAMPAIGNS.map((c) => c.name),
};

export function collectorIds(team: number): string[] {
  let first = 1;
  for (let t = 0; t < team; t++) first += TEAM_SIZES[t]!;
  return Array.from({ length: TEAM_SIZES[team]! }, (_, i) => `C${pad(first + i, 3)}`);
}
