import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { PiiKind } from '../../../src/data/mask.js';
import {
  guessPiiKind,
  isValidResidentId,
  luhnValid,
  maskText,
  maskValue,
  scanForPII,
} from '../../../src/data/mask.js';
import { ingestSync } from '../../../src/data/ingest.js';
import type { CatColumn, Dataset } from '../../../src/data/dataset.js';
import { cellValue } from '../../../src/data/dataset.js';

const values = (ds: Dataset, c: string): unknown[] =>
  Array.from({ length: ds.n }, (_, i) => cellValue(ds.cols[c]!, i));

describe('maskValue rules', () => {
  it('phone', () => {
    expect(maskValue('phone', '13812341234')).toBe('138****1234');
    expect(maskValue('phone', '+8613812341234')).toBe('+86138****1234');
    expect(maskValue('phone', '+86 138 1234 1234')).toBe('+86 138****1234');
    expect(maskValue('phone', '0086-13812341234')).toBe('0086 138****1234');
    expect(maskValue('phone', '138-1234-1234')).toBe('138****1234');
    expect(maskValue('phone', '12345')).toBe('*2345');
  });

  it('resident ID: first 3 + stars + last 4', () => {
    expect(maskValue('id_number', '110101199003071234')).toBe('110***********1234');
    expect(maskValue('id_number', '11010119900307123X')).toBe('110***********123X');
    expect(maskValue('id_number', '110101900307123')).toBe('110********7123');
  });

  it('bank card: first 6 + stars + last 4, separators dropped', () => {
    expect(maskValue('card', '6222021234567890123')).toBe('622202*********0123');
    expect(maskValue('card', '6222 0212 3456 7890')).toBe('622202******7890');
    expect(maskValue('card', '4111-1111-1111-1')).toBe('411111***1111');
  });

  it('account number: stars + last 4', () => {
    expect(maskValue('account', '6217000010001234567')).toBe('***************4567');
    expect(maskValue('account', '123')).toBe('***');
  });

  it('Chinese names, compound surnames, Latin names', () => {
    expect(maskValue('name', '张三')).toBe('张*');
    expect(maskValue('name', '张三丰')).toBe('张**');
    expect(maskValue('name', '欧阳娜娜')).toBe('欧阳**');
    expect(maskValue('name', '欧阳锋')).toBe('欧阳*');
    expect(maskValue('name', '司马相如')).toBe('司马**');
    expect(maskValue('name', '诸葛亮')).toBe('诸葛*');
    expect(maskValue('name', '上官婉儿')).toBe('上官**');
    expect(maskValue('name', '欧阳')).toBe('欧*');
    expect(maskValue('name', '王')).toBe('*');
    expect(maskValue('name', '买买提·艾力')).toBe('买**·**');
    expect(maskValue('name', 'John Smith')).toBe('J***');
    expect(maskValue('name', 'Li')).toBe('L***');
  });
});

describe('masking is idempotent (property)', () => {
  const kinds: PiiKind[] = ['phone', 'id_number', 'card', 'account', 'name'];
  const digitString = (min: number, max: number) =>
    fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((a) => a.join(''));
  const cjk = fc
    .array(fc.constantFrom(...'张王李赵欧阳司马诸葛上官娜锋亮·'), { minLength: 1, maxLength: 6 })
    .map((a) => a.join(''));
  const anyValue = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    digitString(0, 22),
    digitString(11, 11).map((d) => `+86 ${d}`),
    digitString(11, 11).map((d) => `86${d}`),
    digitString(16, 19).map((d) => d.replace(/(\d{4})/g, '$1 ')),
    cjk,
    fc.constantFrom('***', '*', 'J***', 'A张', 'A·张', '+86', '+86-abc12345678'),
  );

  it('mask(mask(s)) === mask(s) for every kind', () => {
    fc.assert(
      fc.property(fc.constantFrom(...kinds), anyValue, (kind, s) => {
        const once = maskValue(kind, s);
        expect(maskValue(kind, once)).toBe(once);
      }),
      { numRuns: 3000 },
    );
  });

  it('maskText is idempotent and leaves no detectable PII', () => {
    const text = fc
      .tuple(fc.string(), digitString(11, 19), fc.string())
      .map(([a, d, b]) => `${a} ${d.length === 11 ? '1' + '3' + d.slice(2) : d} ${b}`);
    fc.assert(
      fc.property(text, (t) => {
        const once = maskText(t);
        expect(maskText(once)).toBe(once);
        expect(scanForPII(once)).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('scanForPII', () => {
  it('finds mobiles, valid resident IDs and Luhn-valid cards, not masked values', () => {
    expect(isValidResidentId('11010519491231002X')).toBe(true);
    expect(isValidResidentId('110105194912310021')).toBe(false);
    expect(luhnValid('4111111111111111')).toBe(true);
    const text = '电话 13812341234，身份证 11010519491231002X，卡 4111 1111 1111 1111，已脱敏 138****1234';
    expect(scanForPII(text).map((m) => [m.kind, m.match])).toEqual([
      ['phone', '13812341234'],
      ['id_number', '11010519491231002X'],
      ['card', '4111 1111 1111 1111'],
    ]);
    expect(scanForPII('+8613812341234').map((m) => m.match)).toEqual(['13812341234']);
    // 11 digits inside a longer number are not a phone; a bad check digit is not an ID
    expect(scanForPII('110105194912310021')).toEqual([]);
    expect(scanForPII('4111111111111112')).toEqual([]);
    expect(scanForPII('订单 2024013112345678')).toEqual([]);
  });

  it('digits after a decimal point are a fraction, not PII; a sentence-ending period is not a decimal point', () => {
    expect(scanForPII('利率 0.13812341234')).toEqual([]);
    expect(scanForPII('x=3.4111111111111111')).toEqual([]);
    expect(scanForPII('1.11010519491231002X')).toEqual([]);
    expect(scanForPII('联系 13812341234.').map((m) => m.match)).toEqual(['13812341234']);
    expect(scanForPII('见.13812341234').map((m) => m.match)).toEqual(['13812341234']);
  });

  it('guesses PII kinds from column names', () => {
    expect(guessPiiKind('mobile')).toBe('phone');
    expect(guessPiiKind('身份证号')).toBe('id_number');
    expect(guessPiiKind('bank_card_no')).toBe('card');
    expect(guessPiiKind('cust_name')).toBe('name');
    expect(guessPiiKind('customer_id')).toBeUndefined();
  });
});

describe('masking at ingestion', () => {
  const rows = [
    {
      customer_id: 'c1',
      name: '欧阳娜娜',
      phone: '13812341234',
      id_number: '110101199003071234',
      remark: '回电 13900001111',
    },
    { customer_id: 'c2', name: '张三', phone: '13812341234', id_number: '11010119900307123X', remark: '无' },
    // same masked phone as c1 after masking → one dictionary entry
    { customer_id: 'c3', name: '张四', phone: '13899991234', id_number: null, remark: null },
  ];

  it('is on by default, masks each kind, dictionary stays unique', () => {
    const { dataset, report } = ingestSync('customers', rows);
    expect(dataset.masked).toBe(true);
    expect(values(dataset, 'name')).toEqual(['欧阳**', '张*', '张*']);
    expect(values(dataset, 'phone')).toEqual(['138****1234', '138****1234', '138****1234']);
    expect((dataset.cols.phone as CatColumn).dict).toEqual(['138****1234']);
    expect((dataset.cols.name as CatColumn).dict).toEqual(['欧阳**', '张*']);
    expect(values(dataset, 'id_number')).toEqual(['110***********1234', '110***********123X', null]);
    // free text in an extra column is scanned
    expect(values(dataset, 'remark')).toEqual(['回电 139****1111', '无', null]);
    expect(report.maskedColumns).toEqual(['name', 'phone', 'id_number', 'remark']);
    expect(report.warnings.map((w) => w.code)).toContain('pii_in_column');
    // nothing scannable survives anywhere in the dataset
    for (const c of Object.values(dataset.cols)) {
      if (c.kind === 'cat') for (const s of c.dict) expect(scanForPII(s)).toEqual([]);
    }
  });

  it('needs unmask: true to stay in clear; mask: false alone is ignored', () => {
    const clear = ingestSync('customers', rows, { unmask: true });
    expect(clear.dataset.masked).toBe(false);
    expect(values(clear.dataset, 'phone')[0]).toBe('13812341234');
    expect(clear.report.warnings.map((w) => w.code)).toContain('unmasked');
    const ignored = ingestSync('customers', rows, { mask: false });
    expect(ignored.dataset.masked).toBe(true);
    expect(values(ignored.dataset, 'phone')[0]).toBe('138****1234');
    expect(ignored.report.warnings.map((w) => w.code)).toContain('mask_off_ignored');
  });

  it('honours per-kind maskRules', () => {
    const { dataset } = ingestSync('customers', rows, {
      maskRules: { name: 'none', phone: (s) => s.slice(0, 3) + '########' },
    });
    expect(values(dataset, 'name')[0]).toBe('欧阳娜娜');
    expect(values(dataset, 'phone')[0]).toBe('138########');
  });

  it('masks PII-named extra columns of non-canonical datasets', () => {
    const { dataset } = ingestSync('leads', [{ lead: 'x', mobile: '13812341234', 姓名: '李四' }]);
    expect(values(dataset, 'mobile')).toEqual(['138****1234']);
    expect(values(dataset, '姓名')).toEqual(['李*']);
  });

  it('masks mobile numbers that arrive as numbers in an extra column', () => {
    const { dataset, report } = ingestSync('leads', [
      { lead: 'x', contact: 13812341234 },
      { lead: 'y', contact: 13900001111 },
    ]);
    expect(values(dataset, 'contact')).toEqual(['138****1234', '139****1111']);
    expect(report.maskedColumns).toContain('contact');
  });

  it('dedups on raw keys before masking', () => {
    const r = ingestSync('customers', [
      { customer_id: 'a', phone: '13812341234' },
      { customer_id: 'b', phone: '13800001234' },
    ]);
    expect(r.report.rowsKept).toBe(2);
  });
});
