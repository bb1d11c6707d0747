#!/usr/bin/env node
/**
 * Render bench/results.json as the Markdown table of docs/performance.md:
 * `node bench/table.mjs [bench/results.json]`.
 */
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? new URL('./results.json', import.meta.url).pathname;
const r = JSON.parse(readFileSync(file, 'utf8'));
const fmt = (x) => {
  if (x === undefined || x === null || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  return String(Number(x.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : a >= 0.01 ? 3 : 6)));
};
const m = r.machine;
console.log(
  `Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGB} GB, ${m.os}; Node ${m.node}; ${m.chromium ?? 'no Chromium'}; ` +
    `load average at the end ${m.loadAverageAtEnd.join(' / ')}. Run ${r.generatedAt}, ${r.durationSec} s.`,
);
console.log('');
console.log('| figure | median | min | max | goal | |');
console.log('|---|---:|---:|---:|---|---|');
for (const f of r.figures) {
  if (f.kind === 'skip') {
    console.log(`| \`${f.name}\` | SKIP | | | | ${f.reason ?? ''} |`);
    continue;
  }
  const unit = f.kind === 'ratio' ? '×' : ` ${f.unit ?? ''}`;
  const status = f.met === undefined ? '' : f.met ? 'met' : '**not met**';
  console.log(
    `| \`${f.name}\` | ${fmt(f.median)}${unit} | ${fmt(f.min)} | ${fmt(f.max)} | ${f.goal ?? ''} | ${status} |`,
  );
}
