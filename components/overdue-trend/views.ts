import type { MetricResult } from '../../src/engine/types.js';
import { msg, pick } from '../../src/format/messages.js';
import { OVERDUE_AREA } from '../../src/format/messages/overdue-trend.js';
import { formatCompact, formatMonth, formatValue } from '../../src/format/number.js';
import type { Locale } from '../../src/format/number.js';
import {
  aboveThreshold,
  bucketModel,
  bucketRangeLabel,
  flowAxisRates,
  pct,
  pctExact,
  rateCap,
} from '../../src/specs/overdue-trend.js';
import type { BucketModel, FlowModel, RateModel, RollModel } from '../../src/specs/overdue-trend.js';
import type { TableModel } from '../base/export.js';

/** The text views of `<fin-overdue-trend>`: its data table, tooltip lines and summary sentence. */

/** The view model of one display (the element memoises it per result). */
export type Model =
  | { display: 'buckets'; m: BucketModel }
  | { display: 'rates'; m: RateModel }
  | { display: 'flows'; m: FlowModel }
  | { display: 'rollrate'; m: RollModel };

function m(L: Locale, key: string, vars?: Record<string, string | number>): string {
  return msg(L, key, vars, OVERDUE_AREA);
}

/** The table view: months × buckets / series (trends) or t0 bucket × t1 bucket (roll rate). */
export function overdueTableModel(md: Model, r: MetricResult, L: Locale, share: boolean): TableModel {
  const monthCol = { key: 'month', label: m(L, 'month') };
  if (md.display === 'buckets') {
    const bm = md.m;
    // The table lists every bucket, M0 included, even when the chart leaves it out; it shows
    // what the chart measures (shares with `share`, else amounts / counts, with the month total).
    const full = bm.shown.length === bm.buckets.length ? bm : bucketModel(r, L, false);
    const fmt = (v: number | null): string =>
      v === null ? '—' : bm.measure === 'count' ? formatValue(v, 'count', L) : formatCompact(v, L);
    return {
      columns: [
        monthCol,
        ...full.buckets.map((b) => ({ key: b, label: share ? `${b} %` : b, numeric: true })),
        ...(share ? [] : [{ key: 'total', label: m(L, 'total'), numeric: true }]),
      ],
      rows: full.months.map((month) => {
        const pts = full.points.filter((p) => p.month === month);
        const known = pts.some((p) => p.value !== null);
        const total = known ? pts.reduce((a, p) => a + (p.value ?? 0), 0) : null;
        return [
          { text: formatMonth(month, L), raw: month },
          ...full.buckets.map((b) => {
            const p = pts.find((x) => x.bucket === b);
            const v = share ? (p?.share ?? null) : (p?.value ?? null);
            return { text: share ? pct(v, L, 2) : fmt(v), raw: v };
          }),
          ...(share ? [] : [{ text: fmt(total), raw: total }]),
        ];
      }),
    };
  }
  if (md.display === 'rates' || md.display === 'flows') {
    const series =
      md.display === 'rates'
        ? md.m.series.map((s) => ({ key: s.key, label: s.label }))
        : md.m.series.map((s) => ({ key: s.key, label: s.key }));
    const pts = md.m.points as Array<{ month: string; key: string; rate: number | null }>;
    const chained = md.display === 'flows' ? md.m.chained : null;
    return {
      columns: [
        monthCol,
        ...series.map((s) => ({ key: s.key, label: s.label, numeric: true })),
        ...(chained
          ? [
              {
                key: 'chained',
                label: m(L, 'chained', { t: (md.m as FlowModel).chainedLabel }),
                numeric: true,
              },
            ]
          : []),
      ],
      rows: md.m.months.map((month, i) => [
        { text: formatMonth(month, L), raw: month },
        ...series.map((s) => {
          const v = pts.find((p) => p.month === month && p.key === s.key)?.rate ?? null;
          return { text: pct(v, L, 2), raw: v };
        }),
        ...(chained ? [{ text: pct(chained[i]?.rate ?? null, L, 3), raw: chained[i]?.rate ?? null }] : []),
      ]),
    };
  }
  const rm = md.m;
  return {
    columns: [
      { key: 'from', label: m(L, 'from') },
      {
        key: 'total',
        label: rm.measure === 'amount' ? m(L, 'outstanding') : m(L, 'loans'),
        numeric: true,
      },
      ...rm.columns.map((c, j) => ({ key: c, label: rm.columnLabels[j]!, numeric: true })),
    ],
    rows: rm.rows.map((b) => {
      const tot = rm.totals.get(b);
      const tv = tot ? (rm.measure === 'amount' ? tot.amount : tot.loans) : null;
      return [
        { text: b, raw: b },
        {
          text:
            tv === null ? '—' : rm.measure === 'amount' ? formatCompact(tv, L) : formatValue(tv, 'count', L),
          raw: tv,
        },
        ...rm.columns.map((c) => {
          const cell = rm.cells.find((x) => x.from === b && x.to === c);
          const s = cell?.share ?? null;
          return { text: pct(s, L, 1), raw: s };
        }),
      ];
    }),
  };
}

/** Tooltip lines of a hovered mark (`d`: its datum). */
export function overdueTooltipLines(
  md: Model,
  r: MetricResult,
  L: Locale,
  d: Record<string, unknown>,
  threshold: number | null,
  selMonths: string[],
): string[] {
  if (md.display === 'rollrate') {
    if (typeof d['from'] !== 'string' || typeof d['to'] !== 'string') return [];
    const cell = md.m.cells.find((c) => c.from === d['from'] && c.to === d['to']);
    if (!cell) return [];
    const n =
      md.m.measure === 'amount'
        ? formatCompact(cell.amount ?? 0, L)
        : formatValue(cell.loans ?? 0, 'count', L);
    return [
      m(L, 'tipCell', { from: cell.from, to: cell.toLabel, s: pct(cell.share, L), n }),
      bucketRangeLabel(r, cell.from, L),
    ];
  }
  const month = typeof d['month'] === 'string' ? d['month'] : null;
  if (!month) return [];
  const lines = [formatMonth(month, L)];
  if (md.display === 'buckets') {
    const bm = md.m;
    const fmt = (v: number | null): string =>
      v === null ? '—' : bm.measure === 'count' ? formatValue(v, 'count', L) : formatCompact(v, L);
    for (const p of [...bm.points].filter((x) => x.month === month).reverse()) {
      lines.push(m(L, 'tipShare', { name: p.bucket, v: fmt(p.value), s: pct(p.share, L) }));
    }
  } else if (md.display === 'rates') {
    for (const s of md.m.series) {
      const p = md.m.points.find((x) => x.month === month && x.key === s.key);
      lines.push(m(L, 'tipValue', { name: s.label, v: pct(p?.rate ?? null, L) }));
    }
    if (threshold !== null && Number.isFinite(threshold))
      lines.push(m(L, 'threshold', { v: pctExact(threshold, L) }));
  } else if (md.display === 'flows') {
    for (const s of md.m.series) {
      const p = md.m.points.find((x) => x.month === month && x.key === s.key);
      const v = pct(p?.rate ?? null, L);
      lines.push(
        m(L, 'tipValue', {
          name: s.key,
          v: p?.small ? m(L, 'smallTip', { v, n: p.fromLoans ?? 0 }) : v,
        }),
      );
    }
    const c = md.m.chained.find((x) => x.month === month);
    if (c && c.rate !== null)
      lines.push(m(L, 'tipValue', { name: m(L, 'chained', { t: md.m.chainedLabel }), v: pct(c.rate, L, 4) }));
  }
  if (selMonths.length === 1 && selMonths[0] !== month) lines.push(m(L, 'rangeHint'));
  return lines;
}

/** The one-sentence summary (screen readers, the text view). */
export function overdueSummary(
  md: Model,
  r: MetricResult,
  L: Locale,
  heading: string,
  threshold: number | null,
): string {
  const title = heading || pick(r.basis.title, L);
  const sep = L === 'zh-CN' ? '，' : ', ';
  if (md.display === 'rollrate') {
    const rm = md.m;
    const parts: string[] = [];
    rm.rows.forEach((b, i) => {
      if (i === 0) return;
      const row = rm.cells.filter((c) => c.from === b);
      if (!row.some((c) => c.share !== null)) return;
      const share = (pred: (c: (typeof row)[number], j: number) => boolean): number =>
        row.reduce((a, c, j) => a + (pred(c, j) && c.share !== null ? c.share : 0), 0);
      const cure = share((c) => c.to === rm.rows[0] || c.to === 'closed');
      const stay = share((c) => c.to === b);
      const worse = share((c) => {
        const j = rm.rows.indexOf(c.to);
        return j > i || c.to === 'written_off';
      });
      parts.push(
        m(L, 'sumRollRow', { from: b, cure: pct(cure, L), stay: pct(stay, L), worse: pct(worse, L) }),
      );
    });
    return m(L, 'sumRoll', {
      title,
      t0: rm.t0 ? formatMonth(rm.t0, L) : 't0',
      t1: rm.t1 ? formatMonth(rm.t1, L) : 't1',
      values: parts.slice(0, 4).join(L === 'zh-CN' ? '；' : '; '),
    });
  }
  const months = md.m.months;
  if (!months.length) return title;
  const from = formatMonth(months[0]!, L);
  const to = formatMonth(months[months.length - 1]!, L);
  if (md.display === 'buckets') {
    const full = md.m.shown.length === md.m.buckets.length ? md.m : bucketModel(r, L, false);
    const last = months[months.length - 1]!;
    const pts = full.points.filter((p) => p.month === last);
    const overduePts = pts.filter((p) => p.index > 0);
    const overdue = overduePts.reduce((a, p) => a + (p.value ?? 0), 0);
    const share = overduePts.reduce((a, p) => a + (p.share ?? 0), 0);
    const top = [...overduePts].sort((a, b) => (b.value ?? 0) - (a.value ?? 0))[0];
    const fmt = (v: number): string =>
      full.measure === 'count' ? formatValue(v, 'count', L) : formatCompact(v, L);
    return m(L, 'sumBuckets', {
      title,
      n: months.length,
      from,
      to,
      last: formatMonth(last, L),
      what: m(L, full.measure === 'count' ? 'whatCount' : 'whatAmount'),
      overdue: fmt(overdue),
      share: pct(share, L),
      top: top?.bucket ?? '—',
      topV: top ? fmt(top.value ?? 0) : '—',
    });
  }
  const seriesList: Array<{ key: string; label: string }> =
    md.display === 'rates'
      ? md.m.series.map((s) => ({ key: s.key, label: s.label }))
      : md.m.series.map((s) => ({ key: s.key, label: s.key }));
  const pts = md.m.points as Array<{ month: string; key: string; rate: number | null }>;
  let lastMonth = months[months.length - 1]!;
  for (let i = months.length - 1; i >= 0; i--) {
    if (pts.some((p) => p.month === months[i] && p.rate !== null)) {
      lastMonth = months[i]!;
      break;
    }
  }
  const values = seriesList
    .map(
      (s) => `${s.label} ${pct(pts.find((p) => p.month === lastMonth && p.key === s.key)?.rate ?? null, L)}`,
    )
    .join(sep);
  if (md.display === 'flows')
    return m(L, 'sumFlows', { title, from, to, last: formatMonth(lastMonth, L), values });
  const first = seriesList[0];
  let peak = '';
  if (first) {
    const best = pts
      .filter((p) => p.key === first.key && p.rate !== null)
      .sort((a, b) => b.rate! - a.rate!)[0];
    if (best)
      peak = m(L, 'sumPeak', {
        series: first.label,
        v: pct(best.rate, L),
        month: formatMonth(best.month, L),
      });
  }
  const alert =
    threshold !== null && Number.isFinite(threshold)
      ? ' ' +
        (aboveThreshold(md.m, threshold).length
          ? m(L, 'aboveThreshold', {
              n: aboveThreshold(md.m, threshold).length,
              v: pctExact(threshold, L),
            })
          : m(L, 'noneAboveThreshold', { v: pctExact(threshold, L) }))
      : '';
  return m(L, 'sumRates', { title, from, to, last: formatMonth(lastMonth, L), values, peak }) + alert;
}

/** The one-line note under the title (`alert`: the rates are above the threshold). */
export function overdueNote(
  md: Model,
  L: Locale,
  threshold: number | null,
  minLoans: string,
): { text: string; alert: boolean } {
  let text = '';
  let alert = false;
  if (md.display === 'buckets') {
    const bm = md.m;
    if (bm.shown.length < bm.buckets.length) {
      const what = m(L, bm.measure === 'count' ? 'whatCount' : 'whatAmount');
      text =
        bm.hiddenShare === null
          ? m(L, 'currentHiddenNoShare')
          : m(L, 'currentHidden', { what, share: pct(bm.hiddenShare, L) });
    }
  } else if (md.display === 'rates') {
    if (threshold !== null && Number.isFinite(threshold)) {
      const n = aboveThreshold(md.m, threshold).length;
      const v = pctExact(threshold, L);
      text = n ? m(L, 'aboveThreshold', { n, v }) : m(L, 'noneAboveThreshold', { v });
      alert = n > 0;
    }
  } else if (md.display === 'flows') {
    const last = [...md.m.chained].reverse().find((c) => c.rate !== null);
    const parts: string[] = [];
    if (last)
      parts.push(
        m(L, 'chainedNote', {
          t: md.m.chainedLabel,
          month: formatMonth(last.month, L),
          v: pct(last.rate, L, last.rate! < 0.0001 ? 4 : undefined),
        }),
      );
    const rates = flowAxisRates(md.m);
    const cap = rateCap(rates);
    const small = md.m.points.filter((p) => p.small && p.rate !== null).length;
    if (small) parts.push(m(L, 'smallFlows', { n: small, min: minLoans }));
    if (cap !== null) {
      const over = rates.filter((x): x is number => x !== null && x > cap);
      parts.push(m(L, 'capped', { n: over.length, cap: pct(cap, L, 0), max: pct(Math.max(...over), L, 0) }));
    }
    text = parts.join(L === 'zh-CN' ? '；' : '; ');
  } else {
    const rm = md.m;
    if (rm.t0 && rm.t1) {
      text = m(L, 'rollNote', {
        t0: formatMonth(rm.t0, L),
        t1: formatMonth(rm.t1, L),
        measure: m(L, rm.measure === 'amount' ? 'measureAmount' : 'measureCount'),
      });
    }
  }
  return { text, alert };
}

/** The text of a table cell. */
export function cellText(c: TableModel['rows'][number][number] | undefined): string {
  if (c === null || c === undefined) return '—';
  if (typeof c === 'object') return c.text;
  return String(c);
}
