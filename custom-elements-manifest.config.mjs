// custom-elements.json from the JSDoc on the element classes (@summary @tag @csspart @cssproperty @fires @slot).
//
// The manifest ships in the package, so every module path names the built file a consumer has
// (dist/components/…/x.js), not the TypeScript source. Paths are normalised to one form and modules
// sorted, so the output is deterministic: `npm test` fails when the committed file differs from a
// fresh one (scripts/check-manifest.mjs).
import { posix } from 'node:path';

/** `components/kpi-card/kpi-card.ts`, `./base/x.js` (relative to `from`), `/components/x.js` → `dist/components/…/x.js`. */
function toDist(p, from) {
  let q = p;
  if (q.startsWith('./') || q.startsWith('../')) q = posix.join(posix.dirname(from), q);
  q = q.replace(/^\/+/, '');
  if (!/^(components|src)\//.test(q)) return p;
  return `dist/${q.replace(/\.ts$/, '.js')}`;
}

function distPaths() {
  return {
    name: 'finboard-dist-paths',
    packageLinkPhase({ customElementsManifest }) {
      const walk = (node, from) => {
        if (Array.isArray(node)) return node.forEach((n) => walk(n, from));
        if (!node || typeof node !== 'object') return;
        for (const [k, v] of Object.entries(node)) {
          if ((k === 'module' || k === 'path') && typeof v === 'string') node[k] = toDist(v, from);
          else walk(v, from);
        }
      };
      for (const m of customElementsManifest.modules) {
        const from = m.path;
        walk(m, from);
      }
      customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },
  };
}

export default {
  globs: ['components/**/*.ts'],
  exclude: ['components/**/*.test.ts'],
  outdir: '.',
  litelement: true,
  // package.json names the manifest itself; the analyzer must not rewrite it (the freshness check
  // generates into a scratch folder).
  packagejson: false,
  plugins: [distPaths()],
};
