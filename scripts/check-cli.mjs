#!/usr/bin/env node
// After a build: the `finboard` command works from the built package. Generates a small seeded
// sample as CSV, serves it with a policy on an ephemeral port, checks a scoped answer, a 401 and
// a refused load over HTTP, then stops the server. Bounded to 60 s.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = new URL('../bin/finboard.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'finboard-cli-'));
const fail = [];
const guard = setTimeout(() => {
  console.error('check-cli: timed out');
  process.exit(1);
}, 60_000);

function run(args) {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('exit', (code) => resolve({ code, out }));
  });
}

try {
  const gen = await run(['generate', '--loan-months', '5k', '--out', join(dir, 'data'), '--seed', '3']);
  if (gen.code !== 0 || !/loan_months\.csv \d+ rows/.test(gen.out)) fail.push(`generate failed: ${gen.out}`);
  const pq = await run([
    'generate',
    '--loan-months',
    '5k',
    '--out',
    join(dir, 'pq'),
    '--format',
    'parquet',
    '--seed',
    '3',
  ]);
  if (pq.code !== 0 || !/loan_months\.parquet \d+ rows/.test(pq.out))
    fail.push(`generate parquet failed: ${pq.out}`);
  writeFileSync(
    join(dir, 'policy.json'),
    JSON.stringify({
      tokens: { 'cli-token': { id: 'east', roles: ['collector'], attributes: { region: '华东' } } },
      roles: { collector: { rowFilters: [{ field: 'region', op: 'eq', value: '$principal.region' }] } },
    }),
  );
  const srv = spawn(
    process.execPath,
    [
      bin,
      'serve',
      '--backend',
      'memory',
      '--data',
      join(dir, 'data'),
      '--policy',
      join(dir, 'policy.json'),
      '--port',
      '0',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  srv.stderr.on('data', (d) => (out += d));
  const url = await new Promise((resolve, reject) => {
    srv.stdout.on('data', (d) => {
      out += d;
      const m = /serving the memory backend at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    srv.on('exit', () => reject(new Error(`serve exited: ${out}`)));
  });
  const post = (call, token) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ id: 1, call }),
    }).then(async (r) => ({ status: r.status, body: await r.json() }));
  const d = await post({ op: 'distinct', req: { source: 'loans', field: 'region' } }, 'cli-token');
  if (d.status !== 200 || JSON.stringify(d.body.value.data.map((x) => x.value)) !== '["华东"]')
    fail.push(`scoped distinct: ${JSON.stringify(d)}`);
  const anon = await post({ op: 'datasets' });
  if (anon.status !== 401) fail.push(`no token: ${anon.status}`);
  const load = await post({ op: 'loadSample', opts: {} }, 'cli-token');
  if (load.status !== 403) fail.push(`loadSample by a client: ${load.status}`);
  if (!/"outcome":"ok"/.test(out)) fail.push('no audit line on stdout');
  srv.kill('SIGTERM');
  await new Promise((r) => srv.on('exit', r));
  // The default backend (DuckDB) over the Parquet files: the same seed answers as memory over CSV.
  // With a database file, a restart serves the same datasets without --data, and --data files
  // unchanged since they were loaded are kept, not ingested again.
  const ask = (u) =>
    fetch(u, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 1,
        call: { op: 'query', req: { metric: 'overdue_rate', params: { k: 1 } } },
      }),
    }).then(async (r) => ({ status: r.status, body: await r.json() }));
  const db = join(dir, 'fin.duckdb');
  const answers = [];
  for (const [step, args] of [
    ['first', ['--data', join(dir, 'pq'), '--duckdb', db]],
    ['reopened', ['--duckdb', db]],
    ['kept', ['--data', join(dir, 'pq'), '--duckdb', db]],
  ]) {
    const duck = spawn(process.execPath, [bin, 'serve', ...args, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let dout = '';
    duck.stderr.on('data', (x) => (dout += x));
    const durl = await new Promise((resolve, reject) => {
      duck.stdout.on('data', (x) => {
        dout += x;
        const m = /serving the duckdb backend at (http:\/\/\S+)/.exec(dout);
        if (m) resolve(m[1]);
      });
      duck.on('exit', () => reject(new Error(`serve (duckdb, ${step}) exited: ${dout}`)));
    });
    const q = await ask(durl);
    if (q.status !== 200 || !Array.isArray(q.body.value?.data) || q.body.value.data.length === 0)
      fail.push(`duckdb over parquet (${step}): ${JSON.stringify(q).slice(0, 300)}`);
    answers.push(JSON.stringify(q.body.value?.data));
    if (step === 'reopened' && !/reopened loan_months \(\d+ rows\)/.test(dout))
      fail.push(`no reopened datasets: ${dout.slice(0, 300)}`);
    if (step === 'kept' && (!/kept loan_months/.test(dout) || /loaded loan_months/.test(dout)))
      fail.push(`an unchanged file was ingested again: ${dout.slice(0, 300)}`);
    duck.kill('SIGTERM');
    await new Promise((r) => duck.on('exit', r));
  }
  if (new Set(answers).size !== 1) fail.push('the reopened database answered differently');
} catch (e) {
  fail.push(String(e));
} finally {
  rmSync(dir, { recursive: true, force: true });
  clearTimeout(guard);
}
if (fail.length) {
  console.error('check-cli FAILED\n  ' + fail.join('\n  '));
  process.exit(1);
}
console.log('check-cli: generate, serve (policy, 401, refused load; a DuckDB file reopened and kept) ok');
