/**
 * Data strings out of Vega's expression parser.
 *
 * Vega parses an axis or legend `values` array as an expression (`["a","b"]`) and resolves the
 * result through plain-object lookups, so a tick value named `constructor`, `toString`, `valueOf`
 * or `hasOwnProperty` fails the whole view ("Operator not defined: undefined"; issue 13 #1). Scale
 * domains and `data.values` are passed as literals and are safe.
 *
 * `hoistTickValues` moves every such array that holds a string into a top-level parameter (a Vega
 * signal, whose value is taken as is) and points the axis or legend at it with `{ expr: name }`.
 * Every spec builder runs its output through it, so a category label can never reach a parser.
 */

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Parameter name prefix; builders never name their own params like this. */
export const TICK_PARAM = 'finTicks';

/**
 * Rewrite `spec` in place: every `axis.values` / `legend.values` array holding a string becomes
 * `{ expr: 'finTicksN' }` with a top-level param `{ name: 'finTicksN', value: [...] }`. Returns the
 * spec.
 */
export function hoistTickValues<T extends Json>(spec: T): T {
  const params: Json[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const x of node) visit(x);
      return;
    }
    if (!isObj(node)) return;
    for (const key of Object.keys(node)) {
      const child = node[key];
      if ((key === 'axis' || key === 'legend') && isObj(child)) {
        const values = child.values;
        if (Array.isArray(values) && values.some((v) => typeof v === 'string')) {
          const name = `${TICK_PARAM}${params.length}`;
          params.push({ name, value: values });
          child.values = { expr: name };
        }
      }
      if (key !== 'data' && key !== 'params') visit(child);
    }
  };
  visit(spec);
  if (params.length) {
    const own = Array.isArray(spec.params) ? (spec.params as Json[]) : [];
    (spec as Json).params = [...own, ...params];
  }
  return spec;
}
