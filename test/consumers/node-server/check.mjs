// A bank platform team's first minutes with the INSTALLED package (README "Serve your
// warehouse"): `npx finboard generate` and `npx finboard serve --policy` from node_modules/.bin,
// the collector-team policy of docs/server.md enforced over HTTP, the remote engine of
// `finboard` in Node against it, and `createHandler()` in their own Node server with an audit
// callback. Every server listens on 127.0.0.1 and is stopped; the whole run is bounded.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createEngine } from 'finboard';
import { createHandler, memoryBackend, policyFromJSON } from 'finboard/server';
import { generateSample } from 'finboard/sample';

const guard = setTimeout(() => {
  console.error('node-server: timed out');
  process.exit(1);
}, 150_000);
const failures = [];
const check = (name, ok, detail = '') => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
  if (!ok) failures.push(name);
  return ok;
};

/** `npx finboard …` in this app (the package's bin); resolves with its exit code and output. */
function finboard(args, onLine) {
  // Its own process group: npx runs the command as a child of its own, and a stop reaches both.
  const child = spawn('npx', ['--no-install', 'finboard', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  const take = (d) => {
    out += d;
    onLine?.(out);
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const done = new Promise((res) => child.on('close', (code) => res({ code, out })));
  return { child, done };
}

/** POST one protocol call; the status and the parsed envelope. */
async function call(url, token, c) {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ id: 1, call: c }),
  });
  return { status: r.status, body: await r.json() };
}

const groups = (result) => [...new Set(result.data.map((r) => r.group))];

rmSync('data', { recursive: true, force: true });
let serve;
try {
  // 1. Generate the seeded sample as Parquet with the installed command.
  const gen = await finboard([
    'generate',
    '--loan-months',
    '5k',
    '--out',
    './data',
    '--format',
    'parquet',
    '--seed',
    '7',
  ]).done;
  check(
    'npx finboard generate --format parquet',
    gen.code === 0 && existsSync('data/loan_months.parquet'),
    gen.out.trim().split('\n').pop(),
  );

  // 2. Serve it with the collector-team policy (DuckDB, the default backend).
  let resolveUrl;
  const urlSeen = new Promise((res) => (resolveUrl = res));
  serve = finboard(['serve', '--data', './data', '--policy', 'policy.json', '--port', '0'], (out) => {
    const m = /serving the duckdb backend at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
    if (m) resolveUrl(m[1]);
  });
  const url = await Promise.race([
    urlSeen,
    serve.done.then((r) => Promise.reject(new Error(`serve exited: ${r.out}`))),
  ]);
  check('npx finboard serve prints its URL', /^http:\/\/127\.0\.0\.1:\d+\/$/.test(url), url);

  const anon = await call(url, null, { op: 'query', req: { metric: 'overdue_rate', params: {} } });
  check(
    'no token: 401',
    anon.status === 401 && anon.body.error?.code === 'unauthorized',
    `${anon.status} ${anon.body.error?.code}`,
  );
  const lead = await call(url, 'lead-token', {
    op: 'query',
    req: { metric: 'overdue_rate', params: { by: 'region' } },
  });
  check(
    "the collector team lead sees only 华东 (the role's forced row filter)",
    lead.status === 200 && lead.body.value.data.length > 0 && groups(lead.body.value).join() === '华东',
    `${lead.status} groups ${lead.body.value ? groups(lead.body.value).join(',') : lead.body.error?.code}`,
  );
  const widen = await call(url, 'lead-token', {
    op: 'query',
    req: {
      metric: 'overdue_rate',
      params: { by: 'region' },
      filters: [{ field: 'region', op: 'eq', value: '华北' }],
    },
  });
  check(
    'a client filter cannot widen it (华北 under 华东: no rows)',
    widen.status === 200 && widen.body.value.data.length === 0,
    `${widen.status} rows ${widen.body.value?.data.length}`,
  );
  const dist = await call(url, 'lead-token', { op: 'distinct', req: { source: 'loans', field: 'region' } });
  check(
    'its distinct regions: 华东 only',
    dist.status === 200 && dist.body.value.data.map((r) => r.value).join() === '华东',
    JSON.stringify(dist.body.value?.data ?? dist.body.error),
  );
  const alerts = await call(url, 'lead-token', { op: 'query', req: { metric: 'txn_alerts', params: {} } });
  check(
    'a metric outside its role: 403 forbidden',
    alerts.status === 403 && alerts.body.error?.code === 'forbidden',
    `${alerts.status} ${alerts.body.error?.code}`,
  );
  const analyst = await call(url, 'analyst-token', {
    op: 'query',
    req: { metric: 'overdue_rate', params: { by: 'region' } },
  });
  check(
    'the risk analyst sees every region',
    analyst.status === 200 && groups(analyst.body.value).length > 3,
    `${analyst.status} ${analyst.body.value ? groups(analyst.body.value).length : analyst.body.error?.code} groups`,
  );

  // 3. The remote engine of `finboard`, in Node, against that server.
  const engine = createEngine({ placement: 'remote', url, headers: { authorization: 'Bearer lead-token' } });
  try {
    const r = await engine.query({ metric: 'overdue_rate', params: { by: 'region' } });
    const forced = r.basis.filters.some(
      (f) => f.field === 'region' && JSON.stringify(f.value).includes('华东'),
    );
    check(
      'createEngine({ placement: "remote" }) in Node: the same scoped answer',
      groups(r).join() === '华东' && forced,
      `groups ${groups(r).join(',')}, forced clause in basis: ${forced}`,
    );
    const session = await engine.session();
    check(
      'engine.session(): the principal and its watermark',
      session.principal?.id === 'zhang.san' && /张三/.test(session.watermark ?? ''),
      JSON.stringify(session.watermark),
    );
  } finally {
    engine.dispose?.();
  }
} catch (e) {
  check('the CLI flow ran to the end', false, String(e?.stack ?? e));
} finally {
  if (serve) {
    process.kill(-serve.child.pid, 'SIGTERM');
    const stopped = await Promise.race([
      serve.done,
      new Promise((res) => setTimeout(() => res(null), 10_000)),
    ]);
    check(
      'npx finboard serve stops on SIGTERM',
      stopped !== null,
      stopped ? `exit ${stopped.code}` : 'still running after 10 s',
    );
    if (!stopped) process.kill(-serve.child.pid, 'SIGKILL');
  }
}

// 4. createHandler() in the team's own Node server, with an audit callback.
const events = [];
const backend = memoryBackend();
const sample = generateSample({ customers: 80, seed: 3 });
await backend.load('loans', sample.loans);
await backend.load('loan_months', sample.loan_months);
const policy = policyFromJSON(JSON.parse(readFileSync('policy.json', 'utf8')));
const server = http.createServer(
  createHandler({ backend, policy, limits: { rows: 1000 }, audit: (e) => events.push(e) }),
);
await new Promise((res) => server.listen(0, '127.0.0.1', res));
try {
  const url = `http://127.0.0.1:${server.address().port}/`;
  const r = await call(url, 'lead-token', {
    op: 'query',
    req: { metric: 'overdue_rate', params: { by: 'region' } },
  });
  check(
    'createHandler({ backend: memoryBackend(), policy }): scoped answer',
    r.status === 200 && groups(r.body.value).join() === '华东',
    `${r.status}`,
  );
  const e = events.at(-1);
  check(
    'one audit event per call (principal, op, metric, outcome, effective filters)',
    events.length === 1 &&
      e.principal === 'zhang.san' &&
      e.op === 'query' &&
      e.metric === 'overdue_rate' &&
      e.outcome === 'ok' &&
      JSON.stringify(e.filters).includes('华东'),
    JSON.stringify(e),
  );
} finally {
  server.close();
  await backend.close?.();
}

clearTimeout(guard);
console.log(failures.length ? `node-server: ${failures.length} failed` : 'node-server: all passed');
process.exit(failures.length ? 1 : 0);
