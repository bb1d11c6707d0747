import { formatValue } from '../../src/format/number.js';
import type { Locale } from '../../src/format/number.js';
import { formatDuration } from '../../src/specs/funnel-layout.js';
import type { FunnelModel, FunnelStageDatum } from '../../src/specs/funnel-layout.js';
import type { TableModel } from '../base/export.js';

/** The text views of `<fin-funnel>`: its table model and summary sentence. */

export /** Acquisition cost block of a funnel result (`meta.cac`). */
interface CacInfo {
  spend: number | null;
  customers: number | null;
  cac: number | null;
}

/** The element's text helpers: locale, messages, number formats and group labels. */
export interface FunnelText {
  L: Locale;
  m: (key: string, vars?: Record<string, string | number>) => string;
  fmtPct: (v: number | null) => string;
  fmtCount: (v: number | null) => string;
  groupLabel: (key: string) => string;
}

/** Table model (table view and CSV): the total series, then each group's. */
export function funnelTableModel(model: FunnelModel, tx: FunnelText, breakdown: string): TableModel {
  const L = tx.L;
  const withGroups = model.groups.length > 0;
  const columns: TableModel['columns'] = [];
  if (withGroups)
    columns.push({
      key: 'group',
      label: breakdown ? tx.m('groupBy', { field: breakdown }) : tx.m('group'),
    });
  columns.push(
    { key: 'stage', label: tx.m('stage') },
    { key: 'count', label: tx.m('count'), numeric: true },
    { key: 'stepConversion', label: tx.m('stepConversion'), numeric: true },
    { key: 'overallConversion', label: tx.m('overallConversion'), numeric: true },
    { key: 'dropOff', label: tx.m('dropOff'), numeric: true },
    { key: 'medianTime', label: tx.m('medianTime'), numeric: true },
  );
  const rowsOf = (series: FunnelStageDatum[], group: string | null): TableModel['rows'] =>
    series.map((d) => {
      const row: TableModel['rows'][number] = [];
      if (withGroups) row.push(group === null ? tx.m('total') : tx.groupLabel(group));
      row.push(
        d.stage,
        { text: tx.fmtCount(d.count), raw: d.count },
        { text: tx.fmtPct(d.stepConversion), raw: d.stepConversion },
        { text: tx.fmtPct(d.overallConversion), raw: d.overallConversion },
        { text: tx.fmtCount(d.dropOff), raw: d.dropOff },
        {
          text: formatDuration(d.medianMs, L),
          raw: d.medianMs === null ? null : Math.round((d.medianMs / 3.6e6) * 1e4) / 1e4,
        },
      );
      return row;
    });
  const rows = rowsOf(model.total, null);
  for (const g of model.groups) rows.push(...rowsOf(g.stages, g.key));
  return { columns, rows };
}

/** The one-sentence summary (`title` of the card; `cac`: the result's acquisition cost block). */
export function funnelSummary(
  model: FunnelModel,
  tx: FunnelText,
  title: string,
  breakdown: string,
  cac: CacInfo | null,
): string {
  const L = tx.L;
  const t = model.total;
  if (!t.length) return '';
  const first = t[0]!;
  const last = t[t.length - 1]!;
  let s = tx.m('summary', {
    title,
    n: t.length,
    first: first.stage,
    firstCount: tx.fmtCount(first.count),
    last: last.stage,
    lastCount: tx.fmtCount(last.count),
    overall: tx.fmtPct(last.overallConversion),
  });
  // The step that loses the most entities (positive drop-offs only; loose funnels may grow).
  let worst = -1;
  for (let i = 1; i < t.length; i++) {
    const drop = t[i]!.dropOff ?? 0;
    if (drop > 0 && (worst < 0 || drop > (t[worst]!.dropOff ?? 0))) worst = i;
  }
  if (worst > 0) {
    s +=
      ' ' +
      tx.m('summaryDrop', {
        from: t[worst - 1]!.stage,
        to: t[worst]!.stage,
        drop: tx.fmtCount(t[worst]!.dropOff),
        step: tx.fmtPct(t[worst]!.stepConversion),
      });
  }
  if (model.groups.length) {
    const sep = L === 'zh-CN' ? '，' : ', ';
    const list = model.groups
      .map(
        (g) =>
          `${tx.groupLabel(g.key)} ${tx.fmtPct(g.stages[g.stages.length - 1]?.overallConversion ?? null)}`,
      )
      .join(sep);
    s += ' ' + tx.m('summaryGroups', { field: breakdown || tx.m('group'), list });
  }
  if (cac && cac.cac !== null) s += ' ' + tx.m('cacShort', { cac: formatValue(cac.cac, 'currency', L) });
  return s;
}

/** Accessible text of a stage (`group`: its group key, null for the total series). */
export function funnelStageText(
  tx: FunnelText,
  d: FunnelStageDatum,
  i: number,
  group: string | null,
  sep: string,
): string {
  const parts: string[] = [];
  if (i > 0) parts.push(`${tx.m('stepConversion')} ${tx.fmtPct(d.stepConversion)}`);
  parts.push(`${tx.m('overallConversion')} ${tx.fmtPct(d.overallConversion)}`);
  if (i > 0 && d.dropOff !== null) parts.push(`${tx.m('dropOff')} ${tx.fmtCount(d.dropOff)}`);
  if (i > 0 && d.medianMs !== null) parts.push(`${tx.m('medianTime')} ${formatDuration(d.medianMs, tx.L)}`);
  const rest = sep + parts.join(sep);
  const vars = { stage: d.stage, count: tx.fmtCount(d.count), rest };
  return group === null
    ? tx.m('stageAria', vars)
    : tx.m('groupAria', { ...vars, group: tx.groupLabel(group) });
}

/** Tooltip text of a stage mark: the stage's figures, then each group's share. */
export function funnelTipText(
  tx: FunnelText,
  ref: { stage: number; group: string | null },
  series: FunnelStageDatum[],
  groups: FunnelModel['groups'],
): string {
  const d = series[ref.stage];
  if (!d) return '';
  const lines: string[] = [];
  lines.push(ref.group !== null ? `${tx.groupLabel(ref.group)} · ${d.stage}` : d.stage);
  lines.push(`${tx.m('count')} ${tx.fmtCount(d.count)}`);
  if (ref.stage > 0) lines.push(`${tx.m('stepConversion')} ${tx.fmtPct(d.stepConversion)}`);
  lines.push(`${tx.m('overallConversion')} ${tx.fmtPct(d.overallConversion)}`);
  if (ref.stage > 0 && d.dropOff !== null) lines.push(`${tx.m('dropOff')} ${tx.fmtCount(d.dropOff)}`);
  if (ref.stage > 0 && d.medianMs !== null)
    lines.push(`${tx.m('medianTime')} ${formatDuration(d.medianMs, tx.L)}`);
  for (const g of groups) {
    const gd = g.stages[ref.stage]!;
    lines.push(
      `${tx.groupLabel(g.key)}: ${tx.m('groupPart', { group: '', count: tx.fmtCount(gd.count), pct: tx.fmtPct(gd.overallConversion) }).trim()}`,
    );
  }
  return lines.join('\n');
}
