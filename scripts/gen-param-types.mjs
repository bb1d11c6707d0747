#!/usr/bin/env node
/**
 * Generate src/engine/params.generated.ts — TypeScript types of every metric's params — from the
 * JSON Schemas in src/engine/metrics/params-schemas.ts, the same schemas the engine validates
 * requests against and the dashboard composer builds forms from.
 *
 *   node scripts/gen-param-types.mjs           # write the file
 *   node scripts/gen-param-types.mjs --check   # exit 1 when the committed file is stale
 *
 * The file is committed (consumers' types must not need a build step of ours); the unit test
 * test/unit/engine/params-schema.test.ts fails when it is stale. Only the schema keywords of
 * src/engine/schema.ts are understood; anything else is an error, not a silent `unknown`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT = join(ROOT, 'src/engine/params.generated.ts');
const SOURCE = 'src/engine/metrics/params-schemas.ts';

const pascal = (id) => id.replace(/(^|[_-])([a-z0-9])/g, (_, __, c) => c.toUpperCase());
/** Type name of a metric's params: `overdue_rate` → `OverdueRateParams`. */
export const paramsTypeName = (id) => `${pascal(id)}Params`;
/** Type name of a shared definition: `filterClause` → `ParamFilterClause`. */
const defTypeName = (name) => `Param${name[0].toUpperCase()}${name.slice(1)}`;
const KNOWN = new Set([
  '$schema', '$id', '$ref', '$defs', 'title', 'description', 'default', 'examples', 'type', 'enum', 'const', 'anyOf',
  'properties', 'required', 'additionalProperties', 'items', 'prefixItems', 'minItems', 'maxItems', 'uniqueItems',
  'minimum', 'maximum', 'exclusiveMinimum', 'minLength', 'pattern', 'format',
]);
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (k) => (IDENT.test(k) ? k : JSON.stringify(k));
const lit = (v) => JSON.stringify(v);

function doc(s, indent) {
  const lines = [];
  if (s.description) lines.push(...String(s.description).split('\n'));
  if (s.default !== undefined) lines.push(`@default ${JSON.stringify(s.default)}`);
  if (!lines.length) return '';
  if (lines.length === 1) return `${indent}/** ${lines[0].replace(/\*\//g, '*\\/')} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l.replace(/\*\//g, '*\\/')}`).join('\n')}\n${indent} */\n`;
}

/** The TS type of a schema node. */
function typeOf(s, indent = '') {
  for (const k of Object.keys(s)) if (!KNOWN.has(k)) throw new Error(`gen-param-types: unsupported keyword "${k}"`);
  if (s.$ref) {
    const m = /^#\/\$defs\/(.+)$/.exec(s.$ref);
    if (!m) throw new Error(`gen-param-types: unsupported $ref ${s.$ref}`);
    return defTypeName(m[1]);
  }
  if (s.anyOf) return union(s.anyOf.map((b) => typeOf(b, indent)));
  if (s.const !== undefined) return lit(s.const);
  if (s.enum) return union(s.enum.map(lit));
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  if (!types.length) return s.properties ? objectType(s, indent) : 'unknown';
  return union(types.map((t) => single(t, s, indent)));
}

function single(t, s, indent) {
  switch (t) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      if (s.prefixItems && s.minItems === s.prefixItems.length && s.maxItems === s.prefixItems.length)
        return `[${s.prefixItems.map((p) => typeOf(p, indent)).join(', ')}]`;
      const item = s.items ? typeOf(s.items, indent) : 'unknown';
      return /[|&\s]/.test(item) && !item.startsWith('{') ? `Array<${item}>` : `${item}[]`;
    }
    case 'object':
      return objectType(s, indent);
    default:
      throw new Error(`gen-param-types: unsupported type ${t}`);
  }
}

function objectType(s, indent) {
  const props = Object.entries(s.properties ?? {});
  const extra = s.additionalProperties;
  if (!props.length) {
    if (extra && typeof extra === 'object') return `Record<string, ${typeOf(extra, indent)}>`;
    return s.properties ? 'Record<string, never>' : 'Record<string, unknown>';
  }
  const inner = `${indent}  `;
  const required = new Set(s.required ?? []);
  const lines = props.map(([k, p]) => `${doc(p, inner)}${inner}${key(k)}${required.has(k) ? '' : '?'}: ${typeOf(p, inner)};`);
  if (extra && typeof extra === 'object') lines.push(`${inner}[key: string]: ${typeOf(extra, inner)};`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

function union(parts) {
  const uniq = [...new Set(parts)];
  return uniq.join(' | ');
}

/** The whole generated module for `schemas` (metric id → params schema). */
export function renderParamTypes(schemas) {
  const ids = Object.keys(schemas);
  const defs = new Map();
  for (const s of Object.values(schemas)) {
    for (const [name, d] of Object.entries(s.$defs ?? {})) {
      const prev = defs.get(name);
      if (prev && JSON.stringify(prev) !== JSON.stringify(d))
        throw new Error(`gen-param-types: two different $defs named ${name}`);
      defs.set(name, d);
    }
  }
  let out = `/**\n * Generated by scripts/gen-param-types.mjs from ${SOURCE}. Do not edit: change the\n * schemas, then run \`node scripts/gen-param-types.mjs\` (a unit test fails when this file is stale).\n */\n`;
  out += `\n`;
  for (const [name, d] of [...defs].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out += doc(d, '');
    out += `export type ${defTypeName(name)} = ${typeOf({ ...d, description: undefined })};\n\n`;
  }
  for (const id of ids) {
    const s = schemas[id];
    out += `/** Params of \`${id}\`${s.title ? ` (${s.title})` : ''}. */\n`;
    out += `export type ${paramsTypeName(id)} = ${typeOf({ ...s, $defs: undefined, $schema: undefined, $id: undefined, title: undefined, description: undefined })};\n\n`;
  }
  out += `/** Params type per metric id. */\nexport interface MetricParams {\n${ids.map((id) => `  ${key(id)}: ${paramsTypeName(id)};`).join('\n')}\n}\n\n`;
  out += `/** Every metric id the engine knows. */\nexport type MetricId = keyof MetricParams;\n\n`;
  out += `/** A request for metric \`M\` with its params typed. */\nexport type MetricRequest<M extends MetricId = MetricId> = {\n  [K in M]: {\n    metric: K;\n    /** Dataset the metric reads first; each metric has a default. */\n    source?: string;\n    params?: MetricParams[K];\n    filters?: ParamFilterClause[];\n  };\n}[M];\n\n`;
  out += `/** The typed request union, keyed by \`metric\`: \`{ metric: 'kpi', params: KpiParams } | …\`. */\nexport type TypedQueryRequest = MetricRequest<MetricId>;\n`;
  return out.replace(/ \n/g, '\n');
}

async function loadSchemas() {
  const { build } = await import('esbuild');
  const res = await build({
    entryPoints: [join(ROOT, SOURCE)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    logLevel: 'silent',
  });
  const code = res.outputFiles[0].text;
  const mod = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  return mod.PARAM_SCHEMAS;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const text = renderParamTypes(await loadSchemas());
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(OUT, 'utf8');
    } catch {
      // no file yet: stale
    }
    if (current !== text) {
      console.error('src/engine/params.generated.ts is stale: run node scripts/gen-param-types.mjs');
      process.exit(1);
    }
    console.log('params.generated.ts is up to date');
  } else {
    writeFileSync(OUT, text);
    console.log(`wrote ${OUT.replace(ROOT + '/', '')}`);
  }
}
