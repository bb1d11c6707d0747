/**
 * Validation and cleaning of one ingested dataset, and the `DataQualityReport` that tells the host
 * (and the `fin-quality` event) exactly what was dropped or blanked and why.
 *
 * Rules, applied to typed columns (after field mapping and type conversion):
 *
 * | order | reason               | rule                                                            |
 * |-------|----------------------|-----------------------------------------------------------------|
 * | 1     | `missing_required`   | a required cell is missing (empty / null token), or is an unparseable boolean |
 * | 2     | `unparseable_number` | a required numeric cell was present but is not a finite number  |
 * | 3     | `unparseable_date`   | a required date cell was present but is not a real date (2024-02-30) |
 * | 4     | `negative_amount`    | a `nonNegative` column holds a value < 0 (required or not)      |
 * | 5     | `out_of_range`       | a value outside the column's inclusive `range`; a date outside the load's `dateRange` (default 1970-01-01 … today + 5 y, date-range.ts) |
 * | 6     | `invalid_category`   | a category not in the column's `values`                         |
 * | 7     | `duplicate_key`      | the schema key (all key cells present) repeats an earlier kept row; the later row goes |
 *
 * A rejected row is counted once, under the first failing reason in this order (over all of its
 * cells). Duplicates are looked for among rows that pass rules 1–6 only (duplicate-keys.ts), so a
 * broken row never shadows a good one. Unparseable OPTIONAL cells do not reject: they become
 * missing and are counted in `coerced` (only for rows that are kept). Invariant:
 * `rowsRead === rowsKept + Σ rejected` and `rowsRejected === Σ rejected` (duplicates included,
 * `duplicatesRemoved === rejected.duplicate_key`).
 */
import type { ColumnType } from './columns.js';
import type { Column } from './dataset.js';
import type { FieldSpec } from './schemas.js';
import { checkDateRange } from './date-range.js';
import { markDuplicates } from './duplicate-keys.js';

/** Rejection reasons in the order rows are tested (see module comment). */
/** Largest absolute value accepted in a numeric schema column without a declared range. */
export const MAX_MAGNITUDE = 1e15;

export const REJECT_REASONS = [
  'missing_required',
  'unparseable_number',
  'unparseable_date',
  'negative_amount',
  'out_of_range',
  'invalid_category',
  'duplicate_key',
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];

/** Why an optional cell was set to missing. */
export type CoerceReason = 'unparseable_number' | 'unparseable_date' | 'unparseable_bool';

/** Bilingual, display-ready message plus machine-readable details. */
export interface QualityWarning {
  code: QualityWarningCode;
  message: { 'zh-CN': string; 'en-US': string };
  details?: Record<string, unknown>;
}

export type QualityWarningCode =
  | 'rows_rejected'
  | 'all_rows_rejected'
  | 'duplicates_removed'
  | 'cells_coerced'
  | 'ragged_rows'
  | 'ragged_columns'
  | 'duplicate_header'
  | 'column_shadowed'
  | 'mapped_column_missing'
  | 'unmasked'
  | 'mask_off_ignored'
  | 'mask_rule_none'
  | 'pii_in_column'
  | 'pii_in_identifier'
  | 'unsafe_integer_id'
  | 'category_normalized'
  | 'empty_input';

export interface DataQualityReport {
  /** Dataset name as passed to `ingest`. */
  dataset: string;
  /** Data rows in the input (header excluded, blank CSV lines excluded). */
  rowsRead: number;
  rowsKept: number;
  /** Σ rejected (duplicates included). */
  rowsRejected: number;
  /** Rows dropped, by the single reason each was counted under. Every reason is present. */
  rejected: Record<RejectReason, number>;
  /** Same as `rejected.duplicate_key`. */
  duplicatesRemoved: number;
  /** Optional cells of kept rows set to missing because unparseable: column → reason → count. */
  coerced: Record<string, Partial<Record<CoerceReason, number>>>;
  /** First 5 offending input row numbers (1-based, header excluded) per reason. */
  samples: Record<RejectReason, number[]>;
  warnings: QualityWarning[];
  /** How the columns were resolved. */
  columns: {
    /** Canonical column → host column it was read from. */
    mapped: Record<string, string>;
    /** Host columns kept beyond the schema (types inferred). */
    extra: string[];
    /** Optional schema columns absent from the input. */
    missingOptional: string[];
    /** Type of every output column. */
    types: Record<string, ColumnType>;
  };
  /** Columns whose values were masked at ingestion. */
  maskedColumns: string[];
}

/** A typed column entering validation. */
export interface CheckedColumn {
  /** Output (canonical) name. */
  name: string;
  col: Column;
  /** Schema rule; undefined for extra / non-canonical columns. */
  spec: FieldSpec | undefined;
  /** Row indexes (ascending) whose value was present but unparseable; now missing. */
  unparseable: number[];
}

const CODE: Record<RejectReason, number> = Object.freeze({
  missing_required: 1,
  unparseable_number: 2,
  unparseable_date: 3,
  negative_amount: 4,
  out_of_range: 5,
  invalid_category: 6,
  duplicate_key: 7,
});

/** Reason of an unparseable cell of a column type. */
export function coerceReasonOf(type: ColumnType): CoerceReason {
  return type === 'date' ? 'unparseable_date' : type === 'bool' ? 'unparseable_bool' : 'unparseable_number';
}

/**
 * Per-row rejection codes (0 = kept, else 1 + index in `REJECT_REASONS`). Rules 1–6 first, then
 * duplicates of `key` among the rows still kept.
 */
export function validateRows(
  n: number,
  columns: CheckedColumn[],
  key: Column[] | null,
  dateRange?: [number, number],
): Uint8Array {
  const rej = new Uint8Array(n);
  for (const c of columns) {
    const spec = c.spec;
    if (!spec) continue;
    const col = c.col;
    let unp: Uint8Array | null = null;
    if (spec.required) {
      if (c.unparseable.length) {
        unp = new Uint8Array(n);
        const code =
          col.kind === 'date'
            ? CODE.unparseable_date
            : col.kind === 'num'
              ? CODE.unparseable_number
              : CODE.missing_required;
        for (const i of c.unparseable) {
          unp[i] = 1;
          const cur = rej[i]!;
          if (cur === 0 || code < cur) rej[i] = code;
        }
      }
      const M = CODE.missing_required;
      // One small function per array type: each loop stays monomorphic for the JIT. Numbers are
      // checked in one fused pass below.
      switch (col.kind) {
        case 'date':
          missingFloat(col.data, n, unp, rej, M);
          break;
        case 'cat':
          missingCodes(col.codes, n, unp, rej, M);
          break;
        case 'bool': {
          const d = col.data;
          for (let i = 0; i < n; i++) if (d[i]! < 0) rej[i] = M;
          break;
        }
        case 'num':
          break;
      }
    }
    if (col.kind === 'num') {
      // Without a declared range, magnitudes beyond ±1e15 (a thousand trillion yuan) are still
      // out of range: they are corrupt values, and sums of them overflow to Infinity.
      const [lo, hi] = spec.range ?? [-MAX_MAGNITUDE, MAX_MAGNITUDE];
      checkNumbers(col.data, n, spec.required === true, unp, spec.nonNegative === true, lo, hi, rej);
    }
    if (col.kind === 'date' && dateRange)
      checkDateRange(col.data, col.day, n, dateRange[0], dateRange[1], CODE.out_of_range, rej);
    if (col.kind === 'cat' && spec.values) {
      const allowed = new Set(spec.values);
      const bad = new Uint8Array(col.dict.length);
      let any = false;
      for (let k = 0; k < col.dict.length; k++) {
        if (!allowed.has(col.dict[k]!)) {
          bad[k] = 1;
          any = true;
        }
      }
      if (any) {
        const R = CODE.invalid_category;
        const codes = col.codes;
        for (let i = 0; i < n; i++) {
          const k = codes[i]!;
          if (k >= 0 && bad[k]) {
            const cur = rej[i]!;
            if (cur === 0 || R < cur) rej[i] = R;
          }
        }
      }
    }
  }
  if (key && key.length) markDuplicates(n, key, rej, CODE.duplicate_key);
  return rej;
}

function missingFloat(d: Float64Array, n: number, unp: Uint8Array | null, rej: Uint8Array, M: number): void {
  if (unp) {
    for (let i = 0; i < n; i++) if (d[i] !== d[i] && !unp[i]) rej[i] = M;
  } else for (let i = 0; i < n; i++) if (d[i] !== d[i]) rej[i] = M;
}

function missingCodes(d: Int32Array, n: number, unp: Uint8Array | null, rej: Uint8Array, M: number): void {
  if (unp) {
    for (let i = 0; i < n; i++) if (d[i]! < 0 && !unp[i]) rej[i] = M;
  } else for (let i = 0; i < n; i++) if (d[i]! < 0) rej[i] = M;
}

/**
 * Rules on one number column in one pass: missing (NaN, unless unparseable — that reason was set
 * already) when required, negative when `nonNegative`, outside [lo, hi]. A row keeps the earliest
 * reason in `REJECT_REASONS` order, as if each rule had run on its own.
 */
function checkNumbers(
  d: Float64Array,
  n: number,
  required: boolean,
  unp: Uint8Array | null,
  nonNegative: boolean,
  lo: number,
  hi: number,
  rej: Uint8Array,
): void {
  const M = CODE.missing_required;
  const NEG = CODE.negative_amount;
  const OUT = CODE.out_of_range;
  const neg = nonNegative ? 0 : -Infinity;
  for (let i = 0; i < n; i++) {
    const v = d[i]!;
    if (v >= lo && v <= hi && v >= neg) continue; // the common case: one compare chain
    let R: number;
    if (v !== v) {
      if (!required || (unp !== null && unp[i] === 1)) continue;
      R = M;
    } else R = v < neg ? NEG : OUT;
    const cur = rej[i]!;
    if (cur === 0 || R < cur) rej[i] = R;
  }
}

/** Count rejections, collect samples and coerced cells of kept rows. */
export function summarizeRows(
  n: number,
  rej: Uint8Array,
  columns: CheckedColumn[],
): Pick<
  DataQualityReport,
  'rowsRead' | 'rowsKept' | 'rowsRejected' | 'rejected' | 'duplicatesRemoved' | 'samples' | 'coerced'
> {
  const counts = new Float64Array(REJECT_REASONS.length + 1);
  const samples = emptySamples();
  for (let i = 0; i < n; i++) {
    const r = rej[i]!;
    if (r === 0) continue;
    counts[r]!++;
    const list = samples[REJECT_REASONS[r - 1]!];
    if (list.length < 5) list.push(i + 1);
  }
  const rejected = emptyRejected();
  let total = 0;
  REJECT_REASONS.forEach((reason, k) => {
    rejected[reason] = counts[k + 1]!;
    total += counts[k + 1]!;
  });
  const coerced: Record<string, Partial<Record<CoerceReason, number>>> = Object.create(null);
  for (const c of columns) {
    if (!c.unparseable.length || c.spec?.required) continue;
    let k = 0;
    for (const i of c.unparseable) if (rej[i] === 0) k++;
    if (k === 0) continue;
    const per: Partial<Record<CoerceReason, number>> = Object.create(null);
    per[coerceReasonOf(c.col.kind)] = k;
    coerced[c.name] = per;
  }
  return {
    rowsRead: n,
    rowsKept: n - total,
    rowsRejected: total,
    rejected,
    duplicatesRemoved: rejected.duplicate_key,
    samples,
    coerced,
  };
}

export function emptyRejected(): Record<RejectReason, number> {
  return {
    missing_required: 0,
    unparseable_number: 0,
    unparseable_date: 0,
    negative_amount: 0,
    out_of_range: 0,
    invalid_category: 0,
    duplicate_key: 0,
  };
}

function emptySamples(): Record<RejectReason, number[]> {
  return {
    missing_required: [],
    unparseable_number: [],
    unparseable_date: [],
    negative_amount: [],
    out_of_range: [],
    invalid_category: [],
    duplicate_key: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Warnings

const REASON_LABEL: Record<RejectReason, { zh: string; en: string }> = {
  missing_required: { zh: '必填字段缺失', en: 'missing required value' },
  unparseable_number: { zh: '数值无法解析', en: 'unparseable number' },
  unparseable_date: { zh: '日期无法解析', en: 'unparseable date' },
  negative_amount: { zh: '金额为负', en: 'negative amount' },
  out_of_range: { zh: '超出取值范围', en: 'out of range' },
  invalid_category: { zh: '类别值无效', en: 'invalid category' },
  duplicate_key: { zh: '主键重复', en: 'duplicate key' },
};

const KIND_LABEL: Record<string, { zh: string; en: string }> = {
  phone: { zh: '手机号', en: 'phone numbers' },
  id_number: { zh: '身份证号', en: 'resident ID numbers' },
  card: { zh: '银行卡号', en: 'card numbers' },
  account: { zh: '账号', en: 'account numbers' },
  name: { zh: '姓名', en: 'names' },
};

type D = Record<string, unknown>;
const str = (v: unknown): string => (Array.isArray(v) ? v.join(', ') : String(v));
const kinds = (v: unknown, lang: 'zh' | 'en'): string =>
  (Array.isArray(v) ? v : [v])
    .map((k) => KIND_LABEL[String(k)]?.[lang] ?? String(k))
    .join(lang === 'zh' ? '、' : ', ');

const CATALOGUE: Record<QualityWarningCode, (d: D) => [string, string]> = {
  rows_rejected: (d) => {
    const by = d.byReason as Partial<Record<RejectReason, number>>;
    const parts = REJECT_REASONS.filter((r) => (by[r] ?? 0) > 0);
    return [
      `共读取 ${str(d.rowsRead)} 行，剔除 ${str(d.count)} 行（${parts.map((r) => `${REASON_LABEL[r].zh} ${by[r]}`).join('，')}）`,
      `${str(d.count)} of ${str(d.rowsRead)} rows rejected (${parts.map((r) => `${REASON_LABEL[r].en}: ${by[r]}`).join(', ')})`,
    ];
  },
  all_rows_rejected: (d) => [
    `所有 ${str(d.rowsRead)} 行均未通过校验`,
    `All ${str(d.rowsRead)} rows failed validation`,
  ],
  duplicates_removed: (d) => [
    `按主键（${str(d.key)}）去除重复行 ${str(d.count)} 行，保留首次出现`,
    `${str(d.count)} duplicate rows on key (${str(d.key)}) removed; the first occurrence was kept`,
  ],
  cells_coerced: (d) => [
    `${str(d.count)} 个无法解析的可选字段值已置为空（${str(d.columns)}）`,
    `${str(d.count)} unparseable optional values were set to missing (${str(d.columns)})`,
  ],
  ragged_rows: (d) => [
    `${str(d.count)} 行的字段数与表头不一致（缺少的字段按空值处理，多余的字段被忽略）`,
    `${str(d.count)} rows had a different number of fields than the header (missing fields read as empty, extra fields ignored)`,
  ],
  ragged_columns: (d) => [
    `各列长度不一致（${str(d.columns)}），较短的列按空值补齐`,
    `Columns have different lengths (${str(d.columns)}); shorter columns were padded with missing values`,
  ],
  duplicate_header: (d) => [
    `表头中有重复列名（${str(d.names)}），已重命名`,
    `Duplicate header names (${str(d.names)}) were renamed`,
  ],
  column_shadowed: (d) => [
    `来源列“${str(d.host)}”与标准字段“${str(d.column)}”（映射自“${str(d.mappedFrom)}”）同名，已忽略`,
    `Host column "${str(d.host)}" was ignored: canonical column "${str(d.column)}" is read from "${str(d.mappedFrom)}"`,
  ],
  mapped_column_missing: (d) => [
    `字段映射 ${str(d.column)} → “${str(d.tried)}” 在数据中不存在，该字段为空`,
    `Mapped column "${str(d.tried)}" for ${str(d.column)} is not in the data; the field is absent`,
  ],
  unmasked: (d) => [
    `已授权不脱敏：个人信息字段（${str(d.columns)}）以明文保留`,
    `Unmask permission granted: personal data columns (${str(d.columns)}) are kept in clear`,
  ],
  mask_off_ignored: () => [
    '已忽略 mask: false：关闭脱敏需要显式授权 unmask: true',
    'mask: false was ignored: disabling masking requires the explicit unmask: true permission',
  ],
  mask_rule_none: (d) => [
    `以下个人信息类型未脱敏：${kinds(d.kinds, 'zh')}`,
    `These personal data kinds are not masked: ${kinds(d.kinds, 'en')}`,
  ],
  pii_in_column: (d) => [
    `列“${str(d.column)}”含有个人信息（${kinds(d.kinds, 'zh')}），已脱敏`,
    `Column "${str(d.column)}" contains personal data (${kinds(d.kinds, 'en')}); it was masked`,
  ],
  pii_in_identifier: (d) => [
    `标识列“${str(d.column)}”含有${kinds(d.kinds, 'zh')}；这些值已脱敏并附加稳定哈希（关联不受影响），建议改用代理键`,
    `Identifier column "${str(d.column)}" holds ${kinds(d.kinds, 'en')}; those values were masked with a stable hash suffix (joins still work) — consider a surrogate key`,
  ],
  unsafe_integer_id: (d) => [
    `列“${str(d.column)}”有 ${str(d.count)} 个标识以超出安全范围的数字传入，可能已丢失精度；请以字符串传入`,
    `Column "${str(d.column)}": ${str(d.count)} identifiers arrived as numbers beyond 2^53 and may have lost digits; pass them as strings`,
  ],
  category_normalized: (d) => [
    `列“${str(d.column)}”的类别值已规范化（大小写/空白）：${str(d.values)}`,
    `Column "${str(d.column)}": category values normalised (case/whitespace): ${str(d.values)}`,
  ],
  empty_input: () => ['输入数据为空', 'The input has no rows'],
};

/** Build a bilingual warning from its code and details. */
export function qualityWarning(code: QualityWarningCode, details: D = {}): QualityWarning {
  const [zh, en] = CATALOGUE[code](details);
  return { code, message: { 'zh-CN': zh, 'en-US': en }, details };
}
