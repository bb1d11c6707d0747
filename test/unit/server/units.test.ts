/**
 * finboard/server building blocks: the result cache (LRU, TTL), policy scopes (roles union,
 * row filters AND, attributes), detail detection, masking, bearer tokens from policy JSON, and the
 * CSV sample writer (written in chunks, read back identical to the generated sample).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSample } from '../../../src/data/sample.js';
import type { IngestInput } from '../../../src/data/ingest.js';
import type { MetricResult } from '../../../src/engine/types.js';
import { ResultCache } from '../../../src/server/cache.js';
import {
  maskResult,
  paramsReferenceDetail,
  requestIsDetail,
  resultHasDetail,
  DEFAULT_DETAIL_FIELDS,
} from '../../../src/server/policy.js';
import { memoryBackend, policyFromJSON, scopeOf, writeSampleCsv } from '../../../src/server.js';

const R = (data: Array<Record<string, unknown>>, meta?: Record<string, unknown>): MetricResult =>
  ({ data, basis: {} as never, quality: {} as never, ...(meta ? { meta } : {}) }) as MetricResult;

describe('ResultCache', () => {
  it('evicts the least recently used entry and expires entries after the TTL', () => {
    let now = 0;
    const c = new ResultCache(2, 100, () => now);
    c.set('a', R([{ x: 1 }]));
    c.set('b', R([{ x: 2 }]));
    expect(c.get('a')).toBeDefined(); // a is now most recent
    c.set('c', R([{ x: 3 }]));
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBeDefined();
    now = 101;
    expect(c.get('a')).toBeUndefined();
    const off = new ResultCache(0, 100);
    off.set('a', R([]));
    expect(off.get('a')).toBeUndefined();
  });
});

describe('policy scopes', () => {
  const roles = {
    east: {
      rowFilters: [{ field: 'region', op: 'eq' as const, value: '$principal.region' }],
      metrics: ['overdue_rate'],
    },
    retail: {
      rowFilters: [{ field: 'product', op: 'in' as const, value: '$principal.products' }],
      metrics: ['vintage'],
      datasets: ['loans'],
    },
    ops: { operations: ['load' as const], detail: true },
  };
  it('unions what roles allow and ANDs their row filters', () => {
    const s = scopeOf(
      { id: 'u', roles: ['east', 'retail'], attributes: { region: '华东', products: ['消费贷', '车贷'] } },
      { roles },
    );
    expect(s.rowFilters).toEqual([
      { field: 'region', op: 'eq', value: '华东' },
      { field: 'product', op: 'in', value: ['消费贷', '车贷'] },
    ]);
    expect([...s.metrics!].sort()).toEqual(['overdue_rate', 'vintage']);
    expect(s.datasets).toBeNull(); // east has no dataset list: all
    expect(s.operations.has('load')).toBe(false);
    expect(s.detail).toBe(false);
    const o = scopeOf({ id: 'o', roles: ['ops'] }, { roles });
    expect(o.operations.has('load') && o.detail).toBe(true);
  });
  it('grants nothing for unknown roles and refuses a missing attribute', () => {
    const g = scopeOf({ id: 'g', roles: ['nobody', 'constructor', '__proto__'] }, { roles });
    expect(g.operations.size).toBe(0);
    expect(g.metrics!.size).toBe(0);
    expect(() => scopeOf({ id: 'x', roles: ['east'] }, { roles })).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    );
  });
  it('gives principals with equal rights the same cache scope key, others a different one', () => {
    const a = scopeOf({ id: 'a', roles: ['east'], attributes: { region: '华东' } }, { roles });
    const b = scopeOf({ id: 'b', roles: ['east'], attributes: { region: '华东' } }, { roles });
    const c = scopeOf({ id: 'c', roles: ['east'], attributes: { region: '华北' } }, { roles });
    expect(a.key).toBe(b.key);
    expect(a.key).not.toBe(c.key);
  });
});

describe('detail detection and masking', () => {
  const F = new Set(DEFAULT_DETAIL_FIELDS);
  it('treats grouping by an identifier as detail, aggregating over one as not', () => {
    expect(paramsReferenceDetail({ x: { field: 'customer_id' } }, F)).toBe(true);
    expect(paramsReferenceDetail({ by: 'phone' }, F)).toBe(true);
    expect(paramsReferenceDetail({ by: 'txn_time.month' }, F)).toBe(false);
    expect(paramsReferenceDetail({ measure: { agg: 'distinct', field: 'customer_id' } }, F)).toBe(false);
    expect(paramsReferenceDetail({ entity: 'customer_id' }, F)).toBe(false);
    expect(requestIsDetail('txn_alerts', {}, F)).toBe(true);
    expect(requestIsDetail('rfm', { includeCustomers: false }, F)).toBe(false);
    expect(requestIsDetail('rfm', { members: [] }, F)).toBe(true);
    expect(resultHasDetail(R([{ segment: 'x', count: 1 }]), F)).toBe(false);
    expect(resultHasDetail(R([{ loan_id: 'L1' }]), F)).toBe(true);
    expect(resultHasDetail(R([], { members: ['C1'] }), F)).toBe(true);
  });
  it('masks PII keys in rows and meta lists, idempotently', () => {
    const r = maskResult(
      R([{ name: '张三丰', phone: '13812341234', n: 1 }], {
        customers: [{ id_number: '110101199003071234' }],
      }),
      null,
    );
    expect(r.data[0]).toEqual({ name: '张**', phone: '138****1234', n: 1 });
    expect((r.meta!['customers'] as Array<Record<string, string>>)[0]!['id_number']).toBe(
      '110***********1234',
    );
    expect(maskResult(r, null).data).toEqual(r.data);
    expect(maskResult(R([{ value: '13812341234', count: 2 }]), 'phone').data[0]!['value']).toBe(
      '138****1234',
    );
  });
});

describe('policyFromJSON', () => {
  const req = (h: Record<string, string>): IncomingMessage => ({ headers: h }) as unknown as IncomingMessage;
  it('maps bearer tokens (by SHA-256 or plain) to principals', async () => {
    const p = policyFromJSON({
      tokens: {
        ['sha256:' + createHash('sha256').update('s3cret').digest('hex')]: { id: 'a', roles: ['r'] },
        plain: { id: 'b', roles: ['r'] },
      },
      roles: { r: {} },
    });
    expect(await p.authenticate(req({ authorization: 'Bearer s3cret' }))).toMatchObject({ id: 'a' });
    expect(await p.authenticate(req({ authorization: 'bearer plain' }))).toMatchObject({ id: 'b' });
    expect(
      await p.authenticate(
        req({ authorization: 'Bearer ' + createHash('sha256').update('s3cret').digest('hex') }),
      ),
    ).toBeNull();
    expect(await p.authenticate(req({}))).toBeNull();
    expect(() => policyFromJSON({ tokens: { t: { id: 'x' } as never }, roles: {} })).toThrow(/roles/);
  });
});

describe('writeSampleCsv', () => {
  it('writes every dataset in chunks and reads back to the same answers as the generated sample', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'finboard-gen-'));
    try {
      const counts = await writeSampleCsv(dir, { sample: { customers: 120 }, seed: 11, chunkRows: 777 });
      const data = generateSample({ customers: 120, seed: 11 });
      expect(Object.keys(counts).sort()).toEqual(Object.keys(data).sort());
      const direct = memoryBackend();
      const fromCsv = memoryBackend();
      for (const [name, cols] of Object.entries(data)) {
        const n = (Object.values(cols)[0] as unknown[]).length;
        expect(counts[name]).toBe(n);
        expect(
          readFileSync(join(dir, `${name}.csv`), 'utf8')
            .trimEnd()
            .split('\n').length,
        ).toBeGreaterThanOrEqual(n + 1);
        await direct.load(name, cols as IngestInput);
        await fromCsv.attach(name, { path: join(dir, `${name}.csv`) });
      }
      for (const req of [
        { metric: 'overdue_rate', params: {} },
        { metric: 'vintage', params: {} },
        { metric: 'collector_performance', source: 'collection_actions', params: {} },
        { metric: 'rfm', source: 'transactions', params: {} },
        { metric: 'funnel', source: 'funnel_events', params: {} },
      ]) {
        expect((await fromCsv.query(req)).data, req.metric).toEqual((await direct.query(req)).data);
      }
      expect(fromCsv.version()).toBe(7);
      await expect(fromCsv.attach('loans', { path: join(dir, 'loans.parquet') })).rejects.toMatchObject({
        code: 'bad_input',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
