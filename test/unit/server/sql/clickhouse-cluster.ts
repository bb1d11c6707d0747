/**
 * A throwaway 2-shard ClickHouse cluster for the tests: installs Debian's `clickhouse-server` /
 * `clickhouse-client` when missing and we are root (as scripts/ensure-chromium.mjs does for
 * Chromium), writes a config per instance into a temp dir (127.0.0.1 only, free ports, its own
 * data/log paths, `remote_servers` naming both shards), starts the server binaries by hand (no
 * systemd here), waits until each answers `/ping` (bounded), and stops them at the end.
 *
 * The servers' default profile sets `receive_timeout` / `send_timeout` (`shardTimeoutS`, 2 s):
 * ClickHouse 18.16 opens its shard connections with the server's default-profile settings, so
 * this is what bounds a Distributed query reading a frozen shard (measured in docs/server.md,
 * "Shard fault"; the same setting is what an operator puts on their own cluster, "Deployment").
 *
 * When ClickHouse is missing and cannot be installed, `clickhouseUnavailable()` returns the reason:
 * the tests fail loudly under `CI=true` and skip with a printed SKIP line otherwise.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SERVER_BIN = ['/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function serverCommand(): { bin: string; args: string[] } | null {
  const bin = SERVER_BIN.find(executable);
  return bin ? { bin, args: [] } : null;
}

function aptGet(args: string[]): boolean {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (let attempt = 1; attempt <= 3; attempt++) {
    console.error(`[clickhouse] apt-get ${args.join(' ')}`);
    const r = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=120', ...args], { stdio: 'inherit', env });
    if (r.status === 0) return true;
    if (attempt < 3) spawnSync('sleep', ['10']);
  }
  return false;
}

/**
 * Make sure the server binary exists, installing it through apt-get when root. Returns null when
 * ready, else the reason it is not (the caller fails in CI, skips locally).
 */
export function clickhouseUnavailable(): string | null {
  if (serverCommand()) return null;
  const root = process.getuid?.() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!root || !apt) {
    return 'clickhouse-server is not installed and this process cannot install it (needs root and apt-get): sudo apt-get install -y clickhouse-server clickhouse-client';
  }
  if (!aptGet(['install', '-y', 'clickhouse-server', 'clickhouse-client'])) {
    aptGet(['update']);
    aptGet(['install', '-y', 'clickhouse-server', 'clickhouse-client']);
  }
  return serverCommand() ? null : 'apt-get could not install clickhouse-server';
}

/** A port nobody listens on right now (the kernel's pick on 127.0.0.1). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

interface Instance {
  dir: string;
  http: number;
  tcp: number;
  inter: number;
  proc: ChildProcess | null;
}

export interface Cluster {
  /** HTTP URLs of the instances (shard 1 first); queries go to the first. */
  urls: string[];
  /** The `remote_servers` name. */
  name: string;
  /** Stop one shard's server (index 0 or 1); resolves when its process exited. */
  stopShard(i: number): Promise<void>;
  /** Start a stopped shard again (same ports, same data); resolves when it answers. */
  startShard(i: number): Promise<void>;
  /** Freeze one shard's server (SIGSTOP: its kernel still accepts connections, nothing answers). */
  freezeShard(i: number): void;
  /** Resume a frozen shard (SIGCONT). `stop()` resumes every frozen shard first. */
  thawShard(i: number): void;
  /** Stop everything and remove the temp dirs. */
  stop(): Promise<void>;
}

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function configXml(inst: Instance, all: Instance[], name: string): string {
  const shards = all
    .map((o) => `<shard><replica><host>127.0.0.1</host><port>${o.tcp}</port></replica></shard>`)
    .join('');
  const d = xml(inst.dir);
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${d}/log/server.log</log><errorlog>${d}/log/error.log</errorlog><size>10M</size><count>1</count><console>0</console></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${inst.http}</http_port>
  <tcp_port>${inst.tcp}</tcp_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <interserver_http_port>${inst.inter}</interserver_http_port>
  <max_connections>256</max_connections>
  <keep_alive_timeout>3</keep_alive_timeout>
  <max_concurrent_queries>64</max_concurrent_queries>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <mark_cache_size>67108864</mark_cache_size>
  <path>${d}/data/</path>
  <tmp_path>${d}/tmp/</tmp_path>
  <user_files_path>${d}/user_files/</user_files_path>
  <format_schema_path>${d}/format_schemas/</format_schema_path>
  <users_config>${d}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <remote_servers><${name}>${shards}</${name}></remote_servers>
</yandex>
`;
}

const users = (shardTimeoutS: number): string => `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage><load_balancing>in_order</load_balancing><receive_timeout>${shardTimeoutS}</receive_timeout><send_timeout>${shardTimeoutS}</send_timeout></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;

async function ping(port: number): Promise<boolean> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/ping`, { signal: AbortSignal.timeout(1000) });
    return r.ok;
  } catch {
    return false;
  }
}

/**
 * Start `shards` ClickHouse servers as one cluster. Throws when one is not up within `timeoutMs`.
 * `shardTimeoutS`: the default profile's `receive_timeout` and `send_timeout` in seconds.
 *
 * Ports are found free and then handed to the servers, so a test file starting its own cluster at
 * the same moment can take one in between; a server that exits at start is therefore tried again
 * on new ports (three attempts), and the error names the last lines of its log.
 */
export async function startCluster(
  shards = 2,
  name = 'finboard',
  timeoutMs = 30_000,
  shardTimeoutS = 2,
): Promise<Cluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startClusterOnce(shards, name, timeoutMs, shardTimeoutS);
    } catch (e) {
      if (attempt >= 3 || !(e instanceof ExitedAtStart)) throw e;
    }
  }
}

class ExitedAtStart extends Error {}

async function startClusterOnce(
  shards: number,
  name: string,
  timeoutMs: number,
  shardTimeoutS: number,
): Promise<Cluster> {
  const cmd = serverCommand();
  if (!cmd) throw new Error('clickhouse-server is not installed');
  const root = await mkdtemp(join(tmpdir(), 'finboard-ch-'));
  const insts: Instance[] = [];
  for (let i = 0; i < shards; i++) {
    const dir = join(root, `s${i + 1}`);
    for (const sub of ['data', 'tmp', 'log', 'user_files', 'format_schemas'])
      await mkdir(join(dir, sub), { recursive: true });
    insts.push({ dir, http: await freePort(), tcp: await freePort(), inter: await freePort(), proc: null });
  }
  for (const inst of insts) {
    await writeFile(join(inst.dir, 'config.xml'), configXml(inst, insts, name));
    await writeFile(join(inst.dir, 'users.xml'), users(shardTimeoutS));
  }

  async function start(inst: Instance): Promise<void> {
    const proc = spawn(cmd!.bin, [...cmd!.args, `--config-file=${join(inst.dir, 'config.xml')}`], {
      cwd: inst.dir,
      stdio: 'ignore',
    });
    inst.proc = proc;
    let exited = false;
    proc.once('exit', () => {
      exited = true;
    });
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (exited) {
        const log = await readFile(join(inst.dir, 'log', 'error.log'), 'utf8').catch(() => '');
        throw new ExitedAtStart(
          `clickhouse-server exited at start: ${log.trim().split('\n').slice(-3).join(' | ').slice(0, 600)}`,
        );
      }
      if (await ping(inst.http)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    proc.kill('SIGKILL');
    throw new Error(`clickhouse-server did not answer on port ${inst.http} within ${timeoutMs} ms`);
  }

  async function halt(inst: Instance): Promise<void> {
    const p = inst.proc;
    inst.proc = null;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    p.kill('SIGCONT');
    const gone = new Promise<void>((r) => p.once('exit', () => r()));
    p.kill('SIGTERM');
    const timer = setTimeout(() => p.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  }

  try {
    await Promise.all(insts.map(start));
  } catch (e) {
    await Promise.all(insts.map(halt));
    await rm(root, { recursive: true, force: true });
    throw e;
  }
  return {
    urls: insts.map((i) => `http://127.0.0.1:${i.http}`),
    name,
    stopShard: (i) => halt(insts[i]!),
    startShard: (i) => start(insts[i]!),
    freezeShard: (i) => void insts[i]!.proc?.kill('SIGSTOP'),
    thawShard: (i) => void insts[i]!.proc?.kill('SIGCONT'),
    async stop() {
      await Promise.all(insts.map(halt));
      await rm(root, { recursive: true, force: true });
    },
  };
}
