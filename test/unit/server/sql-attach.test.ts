/**
 * The DuckDB backend's SQL attach (duckdb-attach.ts) against its JavaScript ingestion: the same
 * files (the seeded sample written by `writeSample` as CSV and Parquet, plus hostile files: bad
 * dates, non-numeric amounts, duplicate keys, PII, empty values, unicode, case variants, SQL-typed
 * Parquet with NaN / ±Infinity / −0 / NULL / DATE / DECIMAL) attached both ways give the same quality report and
 * the same answer to every compiled metric × param variants × filters. Prints the tally.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbBackend } from '../../../src/server/duckdb.js';
import { writeSample } from '../../../src/server/generate.js';
import { compareAll, newTally, report, sampleFilters, variantCases } from './sql/cases.js';
import { diff } from './sql/compare.js';

const DATASETS = [
  'customers',
  'loans',
  'loan_months',
  'collection_actions',
  'transactions',
  'funnel_events',
  'campaign_spend',
];

type Duck = Awaited<ReturnType<typeof duckdbBackend>>;
const json = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

/** Attach `files` (dataset → path) to a fresh backend each way; the reports compared. */
async function both(
  files: Record<string, string>,
  opts: Record<string, unknown> = {},
): Promise<[Duck, Duck]> {
  const js = await duckdbBackend({ attachBy: 'js', ...opts });
  const sql = await duckdbBackend(opts);
  for (const [name, path] of Object.entries(files)) {
    const a = await js.attach(name, { path });
    const b = await sql.attach(name, { path });
    expect(diff(json(a), json(b)), `${name} ${path} quality report`).toBeNull();
    expect(sql.attachedBy.get(name), `${name} ${path}`).toEqual({ by: 'sql' });
  }
  return [js, sql];
}

describe('SQL attach = JavaScript attach on the seeded sample', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'finboard-sqlattach-'));
    const sample = { sample: { customers: 150 }, seed: 11, partCustomers: 60 };
    await writeSample(join(dir, 'csv'), sample);
    await writeSample(join(dir, 'pq'), { ...sample, format: 'parquet' });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const format of ['pq', 'csv'] as const) {
    it(`${format}: every report and every compiled metric × variants × filters identical`, async () => {
      const ext = format === 'pq' ? 'parquet' : 'csv';
      const [js, sql] = await both(
        Object.fromEntries(DATASETS.map((n) => [n, join(dir, format, `${n}.${ext}`)])),
      );
      try {
        const tally = newTally();
        // Every filter set on Parquet (the warehouse format); the first three on CSV (time).
        const filters = await sampleFilters(js);
        await compareAll(js, sql, variantCases(format === 'pq' ? filters : filters.slice(0, 3)), tally);
        report(`sql attach vs js attach (${ext})`, tally);
        expect(tally.comparisons).toBeGreaterThan(100);
        expect(tally.withRows).toBeGreaterThan(tally.comparisons / 2);
        expect(tally.mismatches).toEqual([]);
      } finally {
        await js.close();
        await sql.close();
      }
    }, 600_000);
  }
});

describe('SQL attach = JavaScript attach on hostile files', () => {
  let dir: string;
  const files: Record<string, string> = {};
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'finboard-sqlattach-h-'));
    const put = (name: string, text: string): string => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    };
    files['loan_months'] = put(
      'loan_months.csv',
      [
        'loan_id,snapshot_date,outstanding,dpd,due_amount,paid_amount,status',
        'L1,2024-01-31,1000,0,100,100,active',
        'L1,2024-02-29,900,35,100,,Active',
        'L1,2024-02-30,800,0,100,100,active', // not a date
        'L2,2024-01-31,"1,234.50",0,abc,100,active', // thousands separator; unparseable optional
        'L2,2024-01-31,999,0,100,100,active', // duplicate key
        'L3,2024-01-31,-5,0,100,100,active', // negative amount
        'L3,2024-02-29,n/a,0,100,100,active', // unparseable required number
        'L4,2024-01-31,100,200000,100,100,closed', // out of range
        'L4,2024-02-29,100,0,100,100,frozen', // invalid category
        ',2024-01-31,100,0,100,100,active', // missing key
        'L5,,100,0,100,100,active', // missing date
        '贷款-六,2024/03/31, 77 ,0,¥100,1e2,  written_off ', // unicode, slashes, spaces
        'L7,1969-12-31,1,0,1,1,active', // before the date range
        'L7,2024-03-31T23:30:00Z,1,0,1,1,active', // an instant near midnight
        'L8,2024-01-31,Infinity,0,NaN,-0,active',
        'L8,2024-01-31,1,0,1,1,active', // duplicate of a row rejected? no: L8 first row rejected
        '',
      ].join('\n'),
    );
    files['customers'] = put(
      'customers.csv',
      [
        'customer_id,name,phone,id_number,gender,birth_year,city,region,segment,open_date,aum',
        'C1,张三,13812345678,110101199003078515,M,1990,上海,华东,大众,2020-01-05,1000',
        'C2,李四,13912345678,11010119900307851X,F,1890,北京 call 13712345678,华北,大众,2020-02-05,-1',
        '13612345678,王五,,,F,1985,杭州,华东,贵宾,2021-13-01,50',
        'C1,Dup,13812345678,,M,1990,上海,华东,大众,2020-01-05,5',
        'C4,"O\'Brien, ""Jr""",+86 138-1234-5678,,M,abc,Zürich,海外,私行,2022-05-06,1e3',
        '',
      ].join('\n'),
    );
    files['loans'] = put(
      'loans.csv',
      [
        'LOAN_ID,Customer_Id,product,channel,region,issue_date,principal,term_months,annual_rate',
        'L1,C1,消费贷,app,华东,2023-12-01,5000,12,0.1',
        'L2,C2,经营贷,branch,华北,2023-12-15,"12,000",700,0.2',
        'L3,13612345678,消费贷,app,华东,not a date,3000,24,11',
        'L4,C4,消费贷,app,海外,2023-11-30,,12,0.05',
        '贷款-六,C1,房贷,app,华东,2023-10-01,100000,360,0.04',
      ].join('\n'),
    );
    files['collection_actions'] = put(
      'collection_actions.csv',
      [
        'action_id,case_id,loan_id,customer_id,collector_id,team,action_time,channel,contacted,ptp,ptp_amount,ptp_due_date,paid_amount,cost',
        'A1,K1,L1,C1,U1,T1,2024-02-01 10:00:00,phone,true,false,,,0,1.5',
        'A2,K1,L1,C1,U1,T1,2024-02-02T10:00:00+08:00,SMS,yes,1,100,2024-02-10,0,0.1',
        'A3,K2,L2,C2,U2,T2,2024-02-03,letter,maybe,0,,,0,0',
        'A4,K2,L2,C2,,T2,2024-02-04,visit,false,false,,,0,20',
        'A1,K9,L9,C9,U9,T9,2024-02-05,phone,true,true,,,0,1',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hostile CSV files: identical reports (rejections, samples, coerced, masking, warnings) and answers', async () => {
    const [js, sql] = await both(files);
    try {
      const lm = sql.catalog.get('loan_months')!.report;
      expect(lm.rowsRejected).toBeGreaterThan(5);
      expect(lm.duplicatesRemoved).toBe(1);
      const cust = sql.catalog.get('customers')!.report;
      expect(cust.maskedColumns).toContain('phone');
      const tally = newTally();
      await compareAll(js, sql, variantCases([[]]), tally);
      report('sql attach vs js attach (hostile csv)', tally);
      expect(tally.mismatches).toEqual([]);
    } finally {
      await js.close();
      await sql.close();
    }
  }, 600_000);

  it('hostile files as Parquet, text and SQL-typed (NaN, ±Infinity, −0, NULL, DATE, FLOAT, DECIMAL, BIGINT > 2^53)', async () => {
    // Parquet written by DuckDB itself: the CSV files as text, and one file with SQL types.
    const { DuckDBInstance } = (await import('@duckdb/node-api')) as unknown as {
      DuckDBInstance: {
        create(p: string): Promise<{
          connect(): Promise<{ run(s: string, v?: unknown[]): Promise<unknown>; closeSync(): void }>;
          closeSync(): void;
        }>;
      };
    };
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const pq: Record<string, string> = {};
    for (const [name, path] of Object.entries(files)) {
      pq[name] = join(dir, `${name}.parquet`);
      await c.run(
        `COPY (SELECT * FROM read_csv($1, header = true, all_varchar = true)) TO '${pq[name]}' (FORMAT parquet)`,
        [path],
      );
    }
    const typed = join(dir, 'typed', 'loan_months.parquet');
    await c.run(
      `CREATE TABLE t (loan_id VARCHAR, snapshot_date DATE, outstanding DOUBLE, dpd BIGINT, due_amount FLOAT, paid_amount DECIMAL(12,2), status VARCHAR)`,
    );
    await c.run(`INSERT INTO t VALUES
      ('L1', DATE '2024-01-31', 100.5, 0, 1.25, 10.10, 'active'),
      ('L1', DATE '2024-02-29', 'NaN'::DOUBLE, 3, 'Infinity'::FLOAT, 1.00, 'active'),
      ('L2', DATE '2024-01-31', '-Infinity'::DOUBLE, 0, NULL, NULL, 'closed'),
      ('L2', DATE '2024-02-29', -0.0, 0, -0.0, -0.00, 'closed'),
      ('L3', NULL, 5, NULL, 1, 1, NULL),
      ('L3', DATE '2024-01-31', 1e16, 9007199254740993, 1, 1, 'ACTIVE'),
      ('L4', DATE '1960-01-01', 5, 1, 1, 1, 'active'),
      ('L4', DATE '2024-01-31', 5, -1, 1, 1, 'written_off'),
      ('L4', DATE '2024-01-31', 6, 1, 1, 1, 'active')`);
    mkdirSync(join(dir, 'typed'), { recursive: true });
    await c.run(`COPY t TO '${typed}' (FORMAT parquet)`);
    c.closeSync();
    db.closeSync();
    const [js, sql] = await both(pq);
    const [js2, sql2] = await both({ loan_months: typed });
    try {
      for (const [a, b] of [
        [js, sql],
        [js2, sql2],
      ] as const) {
        const tally = newTally();
        await compareAll(a, b, variantCases([[]]), tally);
        report('sql attach vs js attach (hostile parquet)', tally);
        expect(tally.mismatches).toEqual([]);
      }
      expect(sql2.catalog.get('loan_months')!.report.rowsRejected).toBeGreaterThan(3);
    } finally {
      for (const b of [js, sql, js2, sql2]) await b.close();
    }
  }, 600_000);

  it('CSV with a BOM, CRLF line ends, a quoted newline and quotes inside cells: identical', async () => {
    const path = join(dir, 'crlf.csv');
    writeFileSync(
      path,
      '\uFEFFloan_id,snapshot_date,outstanding,dpd,status\r\n' +
        'L1,2024-01-31,"1,000",0,active\r\n' +
        '"L""2",2024-01-31,5,0,"act\nive"\r\n' +
        'L3,2024-01-31,7,31,closed\r\n',
    );
    const [js, sql] = await both({ loan_months: path });
    try {
      const tally = newTally();
      await compareAll(js, sql, variantCases([[]]), tally);
      expect(tally.mismatches).toEqual([]);
    } finally {
      await js.close();
      await sql.close();
    }
  }, 120_000);

  it('text kept as it is in SQL and text that goes through the ingestion (padding, null tokens, non-ASCII, personal numbers in ids and free text): identical', async () => {
    const path = join(dir, 'edges.csv');
    writeFileSync(
      path,
      [
        'action_id,case_id,loan_id,customer_id,collector_id,team,action_time,channel,contacted,ptp,ptp_amount,ptp_due_date,paid_amount,cost',
        'A1,K1,L1,C1,U1,T1,2024-02-01,phone,true,false,,,0,1',
        ' A1,K1,L1,C1,U1,T1,2024-02-02,phone,true,false,,,0,1', // trims to a duplicate key
        'A2\t,K1,L1,NULL,U1,T1,2024-02-03,phone,true,false,,,0,1', // tab; a null token
        'NULL,K1,L1,C1,U1,T1,2024-02-04,phone,true,false,,,0,1', // missing key
        'none,K2,n/a,-,U2,T2,2024-02-05,sms,true,false,,,0,1', // null tokens, lower case
        'Nan,K2,L2,C2,None,— ,2024-02-06,sms,true,false,,,0,1',
        'NA1,K2,L2,nulls,U2,团队二,2024-02-07,sms,true,false,,,0,1', // near tokens, kept
        'Ａ3,K3,L 3,C13812345678,U3,call 13912345678 now,2024-02-08,visit,true,false,,,0,1',
        'A4,K3,L3,X-1234567890123,U3,6222-0212-3456-7890,2024-02-09,visit,true,false,,,0,1',
        'A5,K3,L3,C13812345678,U3,T3,2024-02-10,visit,true,false,,,0,1', // same masked id
        'A6,K4,L4,C4,U4,13812345678,2024-02-11,visit,true,false,,,0,1',
        '',
      ].join('\n'),
    );
    const [js, sql] = await both({ collection_actions: path });
    try {
      const r = sql.catalog.get('collection_actions')!.report;
      expect(r.duplicatesRemoved).toBe(1);
      expect(r.rejected.missing_required).toBeGreaterThanOrEqual(2);
      expect(r.maskedColumns).toEqual(expect.arrayContaining(['customer_id', 'team']));
      const tally = newTally();
      await compareAll(js, sql, variantCases([[]]), tally);
      expect(tally.mismatches).toEqual([]);
      // The stored ids themselves: raw for plain ones, masked with a hash for personal numbers.
      const ids = async (b: Duck): Promise<unknown> =>
        (await b.distinct({ source: 'collection_actions', field: 'customer_id', order: 'value' })).data;
      expect(await ids(sql)).toEqual(await ids(js));
      expect(JSON.stringify(await ids(sql))).not.toContain('13812345678');
    } finally {
      await js.close();
      await sql.close();
    }
  }, 120_000);

  for (const [timeZone, missing] of [
    ['Asia/Shanghai', false],
    ['Asia/Shanghai', true],
    ['America/New_York', true],
    ['Australia/Lord_Howe', true],
  ] as const)
    it(`timestamps as text, mapped per hour in SQL: identical in ${timeZone}${missing ? ', a row rejected' : ', no row rejected'} (DST gaps and overlaps, midnight, hour edges)`, async () => {
      const tag = `${timeZone.replace('/', '-')}-${missing}`;
      const path = join(dir, `times-${tag}.csv`);
      const times = [
        '2024-02-01 10:19:16',
        '2024-02-01 10:00:00',
        '2024-02-01 10:59:59',
        '2024-02-01 23:59:59',
        '2024-02-02 00:00:00',
        '2024-03-10 01:59:59', // New York: the last second before the gap
        '2024-03-10 02:30:00', // New York: inside the gap
        '2024-03-10 03:00:01',
        '2024-11-03 01:30:00', // New York: inside the overlap
        '2024-11-03 01:59:59',
        '2024-04-07 01:45:00', // Lord Howe: inside its half-hour overlap
        '2024-10-06 02:15:00', // Lord Howe: inside its half-hour gap
        '2024-10-06 02:45:00',
        '2024-12-31 23:00:00',
      ];
      writeFileSync(
        path,
        [
          'action_id,case_id,loan_id,customer_id,collector_id,team,action_time,channel,paid_amount,cost',
          ...times.map((t, i) => `A${i},K${i % 3},L${i % 4},C${i % 2},U${i % 3},T1,${t},phone,${i},1`),
          ...(missing ? [`A99,K1,L1,C1,U1,T1,,phone,1,1`] : []), // a missing time
          '',
        ].join('\n'),
      );
      // Each backend in a database file, so the stored table itself is compared afterwards.
      const files = [join(dir, `${tag}-js.duckdb`), join(dir, `${tag}-sql.duckdb`)];
      for (const f of files) rmSync(f, { force: true });
      const js = await duckdbBackend({ attachBy: 'js', timeZone, path: files[0] });
      const sql = await duckdbBackend({ timeZone, path: files[1] });
      const tables: string[] = [];
      try {
        for (const b of [js, sql]) await b.attach('collection_actions', { path });
        expect(sql.attachedBy.get('collection_actions')).toEqual({ by: 'sql' });
        expect(sql.catalog.get('collection_actions')!.report.rowsRejected).toBe(missing ? 1 : 0);
        const tally = newTally();
        await compareAll(js, sql, variantCases([[]]), tally);
        expect(tally.mismatches).toEqual([]);
        for (const b of [js, sql]) tables.push(b.catalog.get('collection_actions')!.table);
      } finally {
        await js.close();
        await sql.close();
      }
      // Every stored cell: instants to the millisecond, date parts, row indexes.
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const stored: unknown[][] = [];
      for (const [i, f] of files.entries()) {
        const inst = await DuckDBInstance.create(f);
        const conn = await inst.connect();
        const rows = (await conn.runAndReadAll(`SELECT * FROM "${tables[i]}" ORDER BY r`)).getRowObjectsJS();
        stored.push(rows.map((r) => Object.values(r).map((v) => (typeof v === 'bigint' ? Number(v) : v))));
        conn.closeSync();
        inst.closeSync();
      }
      expect(stored[1]!.length).toBe(times.length);
      expect(stored[1]).toEqual(stored[0]);
    }, 120_000);

  it('a file the SQL path cannot reproduce (columns outside the schema, ragged rows) is ingested in JavaScript, and says so', async () => {
    const extra = join(dir, 'extra.csv');
    writeFileSync(extra, 'loan_id,snapshot_date,outstanding,dpd,note\nL1,2024-01-31,1,0,hello\n');
    const ragged = join(dir, 'ragged.csv');
    writeFileSync(ragged, 'loan_id,snapshot_date,outstanding,dpd\nL1,2024-01-31,1,0\nL2,2024-01-31,1\n');
    const js = await duckdbBackend({ attachBy: 'js' });
    const sql = await duckdbBackend();
    try {
      for (const path of [extra, ragged]) {
        const a = await js.attach('loan_months', { path });
        const b = await sql.attach('loan_months', { path });
        expect(diff(json(a), json(b))).toBeNull();
        const by = sql.attachedBy.get('loan_months')!;
        expect(by.by).toBe('js');
        expect(by.reason).toBeTruthy();
      }
    } finally {
      await js.close();
      await sql.close();
    }
  }, 120_000);
});
