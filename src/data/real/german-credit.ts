/**
 * The Statlog German Credit data (Hofmann 1994, UCI, CC BY 4.0; datasets/german_credit: 1,000
 * applicants, 300 bad) as columns for the `score` / `model_monitor` custom definition: every
 * attribute as a feature (7 numeric, 13 categorical) and `bad` = 1 when `creditability` is `bad`.
 *
 * Pure: CSV text in (RFC 4180: fields with commas are quoted), columnar arrays out; no DOM, no I/O.
 */

/** The numeric attributes; the other 13 are categories. */
export const GERMAN_NUMERIC: ReadonlySet<string> = new Set([
  'duration_in_month',
  'credit_amount',
  'installment_rate_in_percentage_of_disposable_income',
  'present_residence_since',
  'age_in_years',
  'number_of_existing_credits_at_this_bank',
  'number_of_people_being_liable_to_provide_maintenance_for',
]);

export interface GermanCredit {
  /** Column name → values: the 20 attributes plus `bad` (0/1). */
  columns: Record<string, Array<string | number>>;
  /** Column name → `num` or `cat`. */
  types: Record<string, 'num' | 'cat'>;
  /** The 20 attribute names, in file order. */
  features: string[];
}

/** RFC 4180 lines → rows (no field here spans lines). */
export function parseCsvLines(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line) continue;
    const out: string[] = [];
    let cur = '';
    let q = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (q) {
        if (ch === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') q = false;
        else cur += ch;
      } else if (ch === '"') q = true;
      else if (ch === ',') {
        out.push(cur);
        cur = '';
      } else cur += ch;
    }
    out.push(cur);
    rows.push(out);
  }
  return rows;
}

export function parseGermanCredit(text: string): GermanCredit {
  const [head, ...body] = parseCsvLines(text);
  if (!head) return { columns: {}, types: {}, features: [] };
  const columns: Record<string, Array<string | number>> = {};
  const types: Record<string, 'num' | 'cat'> = {};
  head.forEach((h, j) => {
    if (h === 'creditability') {
      columns['bad'] = body.map((r) => (r[j] === 'bad' ? 1 : 0));
      types['bad'] = 'num';
    } else {
      columns[h] = body.map((r) => (GERMAN_NUMERIC.has(h) ? Number(r[j]) : (r[j] ?? '')));
      types[h] = GERMAN_NUMERIC.has(h) ? 'num' : 'cat';
    }
  });
  return { columns, types, features: head.filter((h) => h !== 'creditability') };
}

/** `model_monitor` / `score` params for the data: all attributes, a seeded random 70/30 split. */
export function germanCreditParams(features: string[]): Record<string, unknown> {
  return { definition: 'custom', label: 'bad', features, split: 'random', seed: 42, trainShare: 0.7 };
}
