/**
 * Column planning: which host column feeds each canonical column (the `fields` mapping, case- and
 * space-insensitive fallback), which columns are missing, which are extra, and each one's type.
 */
import type { ColumnType } from './columns.js';
import { FinError } from '../engine/errors.js';
import { inferType } from './infer.js';
import type { IngestOptions } from './ingest-types.js';
import type { QualityWarning } from './quality.js';
import { qualityWarning } from './quality.js';
import { rawValues } from './raw.js';
import type { CsvTypes, RawTable } from './raw.js';
import type { DatasetSchema, FieldSpec } from './schemas.js';
import { schemaOf } from './schemas.js';

export interface PlanEntry {
  out: string;
  host: string;
  spec: FieldSpec | undefined;
  type: ColumnType;
}

/** The host column for a wanted name: exact, else the one column equal ignoring case/spaces. */
function resolveHost(names: readonly string[], nameSet: ReadonlySet<string>, host: string): string | null {
  if (nameSet.has(host)) return host;
  const want = host.trim().toLowerCase();
  let found: string | null = null;
  for (const nm of names) {
    if (nm.trim().toLowerCase() === want) {
      if (found !== null) return null;
      found = nm;
    }
  }
  return found;
}

function mappedOf(fields: Record<string, string>, canon: string): string | undefined {
  if (!Object.hasOwn(fields, canon)) return undefined;
  const h = fields[canon];
  return typeof h === 'string' ? h : undefined;
}

/** Host column of each schema field (explicit mapping, else its own name), as `planColumns` resolves it. */
function schemaHosts(
  names: readonly string[],
  schema: DatasetSchema | undefined,
  fields: Record<string, string>,
): Array<{ canon: string; spec: FieldSpec; tried: string; host: string | null; explicit: boolean }> {
  if (!schema) return [];
  const set = new Set(names);
  return Object.entries(schema.fields).map(([canon, spec]) => {
    const explicit = mappedOf(fields, canon);
    const tried = explicit ?? canon;
    const host =
      resolveHost(names, set, tried) ?? (explicit !== undefined ? resolveHost(names, set, canon) : null);
    return { canon, spec, tried, host, explicit: explicit !== undefined };
  });
}

/** CSV columns to decode while parsing: the schema's num, cat and date columns. */
export function csvTypes(dataset: string, opts: IngestOptions): CsvTypes | undefined {
  const schema = opts.schema ?? schemaOf(dataset);
  if (!schema) return undefined;
  const fields = opts.fields ?? {};
  return (names) => {
    const out = new Map<string, ColumnType>();
    const conflict = new Set<string>();
    for (const r of schemaHosts(names, schema, fields)) {
      if (r.host === null) continue;
      const prev = out.get(r.host);
      if (prev !== undefined && prev !== r.spec.type) conflict.add(r.host);
      out.set(r.host, r.spec.type);
    }
    for (const [h, t] of out) if (t === 'bool' || conflict.has(h)) out.delete(h);
    return out;
  };
}

/** Inferred type of a host column; a dictionary-encoded one is inferred from its distinct values. */
function inferRaw(name: string, raw: RawTable, host: string): ColumnType {
  const hint = raw.hints.get(host);
  if (hint) return hint;
  const p = raw.prepared.get(host);
  if (p && !p.source) return p.col.kind === 'cat' ? inferType(name, p.col.dict) : p.type;
  return inferType(name, rawValues(raw, host));
}

function missingColumn(
  dataset: string,
  column: string,
  tried: string,
  raw: RawTable,
  missing: string[],
): FinError {
  const available = raw.names.slice();
  const shown = available.length > 50 ? `${available.slice(0, 50).join(', ')}, …` : available.join(', ');
  const mappedNote =
    column === tried ? `column "${tried}"` : `host column "${tried}" (mapped by fields.${column})`;
  return new FinError(
    'missing_column',
    `Dataset "${dataset}": required column "${column}" not found — looked for ${mappedNote}; available columns: ${shown || '(none)'}` +
      (missing.length > 1 ? `. Also missing: ${missing.filter((m) => m !== column).join(', ')}` : ''),
    { dataset, column, tried, available, missing },
  );
}

export interface Plan {
  entries: PlanEntry[];
  mapped: Record<string, string>;
  extra: string[];
  missingOptional: string[];
  warnings: QualityWarning[];
}

export function planColumns(
  dataset: string,
  raw: RawTable,
  schema: DatasetSchema | undefined,
  fields: Record<string, string>,
): Plan {
  const entries: PlanEntry[] = [];
  const mapped: Record<string, string> = Object.create(null) as Record<string, string>;
  const missingOptional: string[] = [];
  const warnings: QualityWarning[] = [];
  const used = new Set<string>();
  const outNames = new Set<string>();
  const nameSet = new Set(raw.names);
  const missingRequired: Array<[string, string]> = [];
  for (const { canon, spec, tried, host, explicit } of schemaHosts(raw.names, schema, fields)) {
    if (host === null) {
      if (spec.required) missingRequired.push([canon, tried]);
      else {
        missingOptional.push(canon);
        if (explicit) warnings.push(qualityWarning('mapped_column_missing', { column: canon, tried }));
      }
      continue;
    }
    entries.push({ out: canon, host, spec, type: spec.type });
    mapped[canon] = host;
    used.add(host);
    outNames.add(canon);
  }
  if (missingRequired.length) {
    const [canon, tried] = missingRequired[0]!;
    throw missingColumn(
      dataset,
      canon,
      tried,
      raw,
      missingRequired.map(([c]) => c),
    );
  }
  // Mappings for names outside the schema: renames with inferred types.
  for (const canon of Object.keys(fields)) {
    if (outNames.has(canon) || (schema && Object.hasOwn(schema.fields, canon))) continue;
    const tried = mappedOf(fields, canon);
    if (tried === undefined) continue;
    const host = resolveHost(raw.names, nameSet, tried);
    if (host === null) {
      warnings.push(qualityWarning('mapped_column_missing', { column: canon, tried }));
      continue;
    }
    entries.push({ out: canon, host, spec: undefined, type: inferRaw(canon, raw, host) });
    mapped[canon] = host;
    used.add(host);
    outNames.add(canon);
  }
  const extra: string[] = [];
  for (const host of raw.names) {
    if (used.has(host)) continue;
    if (outNames.has(host)) {
      warnings.push(qualityWarning('column_shadowed', { host, column: host, mappedFrom: mapped[host] }));
      continue;
    }
    entries.push({ out: host, host, spec: undefined, type: inferRaw(host, raw, host) });
    extra.push(host);
    outNames.add(host);
  }
  return { entries, mapped, extra, missingOptional, warnings };
}
