/** Type inference for columns outside the schema, from their names and values. */
import type { ColumnType } from './columns.js';
import { isNullToken, parseNumberString } from './columns.js';
import { isTypedArray } from './raw.js';

const ID_LIKE = [
  /(?:^|[_\s.-])(id|no|nr|num|number|code|key|phone|mobile|tel|card|account|acct|zip|postcode|zipcode|uuid|guid)$/i,
  /[a-z0-9](Id|ID|No|NO|Num|Number|Code|Key)$/,
  /(号|编号|代码|编码|号码|卡号|账号|帐号|电话|手机)$/,
];

/** Whether a column name says "identifier" (its digits are a label, not a quantity). */
export function isIdLikeName(name: string): boolean {
  return ID_LIKE.some((re) => re.test(name));
}

const DATE_LIKE = /^\s*\d{4}[-/]\d{1,2}[-/]\d{1,2}(?:$|[T\s])/;
const LEADING_ZERO = /^[+-]?0\d/;

/**
 * Type of a column with no schema: `num` if every non-null value is a number (and the name is
 * not identifier-like, no leading zeros, no more than 15 digits), `bool` for true/false values,
 * `date` for Date objects or ISO-like date strings, otherwise `cat`.
 */
export function inferType(name: string, values: ArrayLike<unknown>, hint?: ColumnType): ColumnType {
  if (hint) return hint;
  const idLike = isIdLikeName(name);
  if (isTypedArray(values)) {
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      if (idLike) return 'cat';
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) return 'cat';
      }
      return 'num';
    }
    return idLike ? 'cat' : 'num';
  }
  let nonNull = 0;
  let allNum = true;
  let allBool = true;
  let allDate = true;
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    if (typeof v === 'string') {
      if (isNullToken(v)) continue;
      nonNull++;
      if (allBool && !/^\s*(true|false)\s*$/i.test(v)) allBool = false;
      if (allNum) {
        const t = v.trim();
        if (
          parseNumberString(t) !== parseNumberString(t) ||
          LEADING_ZERO.test(t) ||
          t.replace(/\D/g, '').length > 15
        )
          allNum = false;
      }
      if (allDate && !DATE_LIKE.test(v)) allDate = false;
    } else if (typeof v === 'number') {
      nonNull++;
      allBool = false;
      allDate = false;
    } else if (typeof v === 'boolean') {
      nonNull++;
      allNum = false;
      allDate = false;
    } else if (v instanceof Date) {
      nonNull++;
      allNum = false;
      allBool = false;
    } else if (typeof v === 'bigint') {
      nonNull++;
      allBool = false;
      allDate = false;
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) allNum = false;
    } else {
      return 'cat';
    }
    if (!allNum && !allBool && !allDate) return 'cat';
  }
  if (nonNull === 0) return 'cat';
  if (allBool) return 'bool';
  if (allNum) return idLike ? 'cat' : 'num';
  if (allDate) return 'date';
  return 'cat';
}
