/**
 * scripts/check-types-deps.mjs (run on dist/types after `tsc -p tsconfig.build.json`) rejects
 * published declarations that name a package consumers do not get with types — the TS7016 of
 * d3-sankey in issue 12 — and accepts ones that only name typed dependencies.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function check(files: Record<string, string>): { code: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'finboard-dts-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const r = spawnSync(process.execPath, ['scripts/check-types-deps.mjs', dir], { encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('check-types-deps', () => {
  it('fails on a package without types of its own whose @types package is a devDependency (d3-sankey)', () => {
    const r = check({ 'src/specs/fund-flow.d.ts': "import type * as D3Sankey from 'd3-sankey';\nexport type S = typeof D3Sankey.sankey;\n" });
    expect(r.code).toBe(1);
    expect(r.out).toContain('"d3-sankey" has no types of its own and @types/d3-sankey is not a dependency');
  });

  it('fails on a devDependency, a transitive package and Node built-ins outside the server entry', () => {
    const r = check({
      'a.d.ts': "import type { Page } from 'playwright-core';\nexport type P = Page;\n",
      'b.d.ts': "export declare const x: import('lit-html/directive.js').DirectiveResult;\n",
      'c.d.ts': "import type { Server } from 'node:http';\nexport type S = Server;\n",
      'src/server.d.ts': "import type { Server } from 'node:http';\nexport type S = Server;\n",
    });
    expect(r.code).toBe(1);
    expect(r.out).toContain('a.d.ts: "playwright-core" is a devDependency');
    expect(r.out).toContain('b.d.ts: "lit-html/directive.js" is not a dependency');
    expect(r.out).toContain('c.d.ts: Node built-in "node:http" outside the server entry');
    expect(r.out).not.toContain('src/server.d.ts');
  });

  it('passes declarations that name only typed dependencies (and ignores comments)', () => {
    const r = check({
      'ok.d.ts': "// import x from 'd3-sankey'\n/* from 'vega-embed' */\nimport type { LitElement } from 'lit';\nimport type { View } from 'vega';\nexport type A = LitElement | View;\n",
    });
    expect(r.out).toContain('all installed for consumers, all typed');
    expect(r.code).toBe(0);
  });
});
