import type { MetricResult } from '../../src/engine/types.js';
import { formatValue } from '../../src/format/number.js';
import { MISSING_GROUP, formatDuration, textWidth } from '../../src/specs/funnel-layout.js';
import type {
  FunnelModel,
  FunnelOrientation,
  FunnelStageDatum,
  LayoutStageInput,
} from '../../src/specs/funnel-layout.js';
import type { CacInfo, FunnelText } from './views.js';

/**
 * What `<fin-funnel>` hands its layout: each stage's texts fitted to the room they get (full counts
 * or compact ones, drop-off lines), and the acquisition-cost blocks read from the result's meta.
 */

/** The full count when it fits `width`, else the compact form (1.23万 / 12.3K). */
function fitCount(tx: FunnelText, v: number | null, width: number, size: number): string {
  const full = tx.fmtCount(v);
  return textWidth(full, size) <= width ? full : formatValue(v, 'compact', tx.L);
}

/** Drop-off as drawn: `流失 1,234` / `−1,234 lost` (compact when the full text does not fit `room`); none, or a gain in loose mode. */
function dropText(tx: FunnelText, drop: number, room: number): string {
  if (drop === 0) return tx.m('dropNone');
  const key = drop < 0 ? 'gainShort' : 'dropShort';
  const full = tx.m(key, { v: tx.fmtCount(Math.abs(drop)) });
  return textWidth(full, 11) <= room ? full : tx.m(key, { v: formatValue(Math.abs(drop), 'compact', tx.L) });
}

/** The layout input of `series` at `width`: names, counts, conversions, connectors, group sub-bars. */
export function stageInputs(
  tx: FunnelText,
  series: FunnelStageDatum[],
  width: number,
  orientation: FunnelOrientation,
  groups?: FunnelModel['groups'],
): LayoutStageInput[] {
  const n = Math.max(1, series.length);
  const horizontal = orientation === 'horizontal' && width / n >= 84;
  const countRoom = horizontal ? width / n - 8 : Math.min(190, Math.max(100, width * 0.3));
  return series.map((d, i) => {
    const details: string[] = [];
    if (i > 0) details.push(tx.m('stepShort', { v: tx.fmtPct(d.stepConversion) }));
    details.push(tx.m('overallShort', { v: tx.fmtPct(d.overallConversion) }));
    const connector: string[] = [];
    if (i > 0 && d.dropOff !== null)
      connector.push(dropText(tx, d.dropOff, horizontal ? width / n - 10 : Math.max(0, width * 0.5)));
    if (i > 0 && d.medianMs !== null)
      connector.push(tx.m('medianShort', { v: formatDuration(d.medianMs, tx.L) }));
    const input: LayoutStageInput = {
      name: d.stage,
      count: d.count,
      countText: fitCount(tx, d.count, countRoom, horizontal ? 16 : 14),
      details,
      connector,
    };
    if (groups && groups.length) {
      // Sub-bars show each group's own conversion (share of its first stage), so groups of very
      // different sizes stay comparable; volumes are in the legend, tooltip and table.
      input.groups = groups.map((g) => {
        const gd = g.stages[i]!;
        const labels =
          i === 0
            ? [
                tx.fmtCount(gd.count),
                formatValue(gd.count, 'compact', tx.L),
                gd.count === null ? '—' : String(Math.round(gd.count)),
              ]
            : [tx.fmtPct(gd.overallConversion), formatValue(gd.overallConversion, 'percent', tx.L, 0)];
        return { key: g.key, count: gd.count, share: gd.overallConversion, labels };
      });
    }
    return input;
  });
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The acquisition-cost block of a result (`meta.cac`), or null. */
export function cacOf(r: MetricResult): CacInfo | null {
  const c = r.meta?.['cac'];
  if (!c || typeof c !== 'object') return null;
  const o = c as Record<string, unknown>;
  return { spend: num(o['spend']), customers: num(o['customers']), cac: num(o['cac']) };
}

/** The acquisition cost per group (`meta.cacByGroup`), keyed as the model keys groups. */
export function cacByGroupOf(r: MetricResult): Map<string, CacInfo> {
  const out = new Map<string, CacInfo>();
  const list = r.meta?.['cacByGroup'];
  if (!Array.isArray(list)) return out;
  for (const e of list as Array<Record<string, unknown>>) {
    const key = e['group'] === null || e['group'] === undefined ? MISSING_GROUP : String(e['group']);
    out.set(key, { spend: num(e['spend']), customers: num(e['customers']), cac: num(e['cac']) });
  }
  return out;
}
