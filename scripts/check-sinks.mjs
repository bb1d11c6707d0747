#!/usr/bin/env node
/**
 * Fail when src/ or components/ mention an HTML or code-evaluation sink, anywhere on a line.
 *
 *   node scripts/check-sinks.mjs [dir …]     # default: src components
 *
 * Sinks: innerHTML, outerHTML, insertAdjacentHTML, unsafeHTML/unsafeSVG, eval(, new Function,
 * document.write(ln), srcdoc, `.html(` (d3 selections), createContextualFragment, set/parseHTMLUnsafe,
 * and string-argument setTimeout / setInterval.
 *
 * A deliberately dumb second net behind ESLint (which sees syntax but can be disabled per line): a plain
 * regex per line, comments and strings included, and no allow-comment. If a sink's name must appear,
 * it does not belong in these folders. DESIGN.md, "Security and privacy": text only, no eval.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const SINKS = [
  ['innerHTML', /\binnerHTML\b/],
  ['outerHTML', /\bouterHTML\b/],
  ['insertAdjacentHTML', /\binsertAdjacentHTML\b/],
  ['unsafeHTML', /\bunsafeHTML\b/],
  ['unsafeSVG', /\bunsafeSVG\b/],
  ['eval(', /\beval\s*\(/],
  ['new Function', /\bnew\s+Function\b/],
  ['document.write', /\bdocument\s*\.\s*write(?:ln)?\b/],
  ['srcdoc', /\bsrcdoc\b/i],
  ['.html(', /\.html\s*\(/], // d3 selection.html(), jQuery-style: parses its argument as HTML
  ['createContextualFragment', /\bcreateContextualFragment\b/],
  ['setHTMLUnsafe', /\b(?:setHTMLUnsafe|parseHTMLUnsafe)\b/],
  ['string timer', /\bset(?:Timeout|Interval)\s*\(\s*['"`]/], // a string argument is eval
];

const EXTENSIONS = /\.(ts|js|mjs|cjs|tsx|jsx)$/;

function* sourceFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // folder not there (yet)
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') yield* sourceFiles(path);
    } else if (EXTENSIONS.test(entry.name) && statSync(path).isFile()) {
      yield path;
    }
  }
}

/** @returns {{ files: number, hits: { file: string, line: number, sink: string, text: string }[] }} */
export function findSinks(dirs = ['src', 'components']) {
  const hits = [];
  let files = 0;
  for (const dir of dirs) {
    for (const file of sourceFiles(dir)) {
      files++;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((text, i) => {
          for (const [sink, re] of SINKS) {
            if (re.test(text)) hits.push({ file: relative('.', file), line: i + 1, sink, text: text.trim() });
          }
        });
    }
  }
  return { files, hits };
}

function main() {
  const args = process.argv.slice(2);
  const { files, hits } = findSinks(args.length ? args : undefined);
  for (const h of hits) console.error(`${h.file}:${h.line}: ${h.sink}: ${h.text}`);
  if (hits.length) {
    console.error(`check-sinks: ${hits.length} forbidden sink(s) in ${files} files (DESIGN.md, Security).`);
    process.exit(1);
  }
  console.log(`check-sinks: ${files} files, no HTML/eval sinks.`);
}

// Run as a script; importing it (tests) only gets findSinks.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
