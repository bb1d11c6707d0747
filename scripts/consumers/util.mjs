/**
 * Consumer suite bookkeeping: the pass/fail list every check writes to, units for the report,
 * child processes with bounded output and time, and file-size helpers.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const results = []; // { name, ok, detail }
export const figures = []; // per app
export function check(name, ok, detail = '') {
  results.push({ name, ok: !!ok, detail });
  console.log(`${ok ? '  ok  ' : '  FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
  return !!ok;
}
export const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
export const kB = (b) => `${(b / 1024).toFixed(1)} kB`;
export const MB = (b) => `${(b / 1e6).toFixed(2)} MB`;

/** Run a command; resolves { code, out, ms } (stdout+stderr, last 8 kB kept). */
export function run(cmd, args, { cwd, env, quiet = true, timeout = 600_000, max = 64_000 } = {}) {
  return new Promise((done) => {
    const t0 = Date.now();
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const keep = (d) => {
      out += d;
      if (out.length > max) out = out.slice(-max / 2);
      if (!quiet) process.stdout.write(d);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code: code ?? 1, out, ms: Date.now() - t0 });
    });
  });
}
export const tail = (s, n = 25) => s.trim().split('\n').slice(-n).join('\n');

export const gz = (file) => gzipSync(readFileSync(file)).length;
/** Bytes of a package directory, its own nested node_modules excluded (listed on their own). */
export function dirBytes(d) {
  let n = 0;
  const walk = (p) => {
    for (const e of readdirSync(p, { withFileTypes: true })) {
      if (e.name === 'node_modules') continue;
      const q = join(p, e.name);
      if (e.isDirectory()) walk(q);
      else if (e.isFile()) n += statSync(q).size;
    }
  };
  try {
    walk(d);
  } catch {
    /* a missing optional package */
  }
  return n;
}
export function jsFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.m?js$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}
