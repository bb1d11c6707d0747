import { formatValue } from '../../src/format/number.js';
import type { Locale } from '../../src/format/number.js';
import { groupText, share, sortAlerts } from '../../src/specs/fund-flow.js';
import { m } from '../../src/specs/fund-flow/shared.js';
import type { TableModel } from '../base/export.js';
import { alertDate } from './alerts-view.js';
import type { FundFlowModel } from './model.js';

/** The data table (and CSV export) of a model: links, periods or alerts, with raw values. */
export function fundFlowTable(md: FundFlowModel, L: Locale): TableModel {
  const cur = (v: number | null): { text: string; raw: number | null } => ({
    text: formatValue(v, 'currency', L, 2),
    raw: v,
  });
  if (md.display === 'sankey') {
    const sm = md.m;
    const byId = new Map(sm.nodes.map((n) => [n.id, n]));
    const order = new Map(sm.nodes.map((n, i) => [n.id, i]));
    const links = [...sm.links].sort(
      (a, b) =>
        (byId.get(a.source)?.side === 'in' ? 0 : 1) - (byId.get(b.source)?.side === 'in' ? 0 : 1) ||
        (order.get(a.source) ?? 0) - (order.get(b.source) ?? 0) ||
        (order.get(a.target) ?? 0) - (order.get(b.target) ?? 0),
    );
    return {
      columns: [
        { key: 'stage', label: m(L, 'stage') },
        { key: 'source', label: m(L, 'from') },
        { key: 'target', label: m(L, 'to') },
        { key: 'value', label: m(L, 'amount'), numeric: true },
        { key: 'share', label: m(L, 'shareOfSource'), numeric: true },
      ],
      rows: links.map((l) => {
        const s = byId.get(l.source);
        const t = byId.get(l.target);
        const sh = s && s.outflow > 0 ? l.value / s.outflow : null;
        return [
          m(L, s?.side === 'in' ? 'stageIn' : 'stageOut'),
          s?.label ?? l.source,
          t?.label ?? l.target,
          cur(l.value),
          {
            text: share(l.value, s?.outflow ?? null, L),
            raw: sh === null ? null : Math.round(sh * 1e6) / 1e6,
          },
        ];
      }),
    };
  }
  if (md.display === 'trend') {
    const tm = md.m;
    const grouped = tm.groups.length > 0;
    return {
      columns: [
        { key: 'period', label: m(L, 'period') },
        ...(grouped
          ? [{ key: 'group', label: tm.by ? m(L, 'groupBy', { field: tm.by }) : m(L, 'group') }]
          : []),
        { key: 'inflow', label: m(L, 'inflow'), numeric: true },
        { key: 'outflow', label: m(L, 'outflow'), numeric: true },
        { key: 'net', label: m(L, 'net'), numeric: true },
        { key: 'cumulativeNet', label: m(L, 'cumulative'), numeric: true },
        { key: 'count', label: m(L, 'count'), numeric: true },
      ],
      rows: tm.points.map((p) => [
        { text: p.label, raw: p.period },
        ...(grouped ? [{ text: groupText(p.group, L), raw: p.group }] : []),
        cur(p.inflow),
        cur(p.outflow),
        cur(p.net),
        cur(p.cum),
        { text: formatValue(p.count, 'count', L), raw: p.count },
      ]),
    };
  }
  const am = md.m;
  return {
    columns: [
      { key: 'date', label: m(L, 'date') },
      { key: 'customer_id', label: m(L, 'customer') },
      { key: 'rule', label: m(L, 'rule') },
      { key: 'direction', label: m(L, 'direction') },
      { key: 'amount', label: m(L, 'amount'), numeric: true },
      { key: 'count', label: m(L, 'count'), numeric: true },
      { key: 'threshold', label: m(L, 'threshold'), numeric: true },
      { key: 'txnIds', label: m(L, 'txnIds') },
    ],
    rows: sortAlerts(am.rows, 'date', 'desc').map((a) => [
      {
        text: alertDate(a, L),
        raw: a.firstDate && a.firstDate !== a.date ? `${a.firstDate}/${a.date}` : a.date,
      },
      a.customer,
      { text: a.ruleLabel, raw: a.rule },
      {
        text: a.direction === 'in' ? m(L, 'dirIn') : a.direction === 'out' ? m(L, 'dirOut') : '—',
        raw: a.direction,
      },
      cur(a.amount),
      { text: formatValue(a.count, 'count', L), raw: a.count },
      { text: a.threshold === null ? '—' : formatValue(a.threshold, 'currency', L, 0), raw: a.threshold },
      a.txnIds.join(' '),
    ]),
  };
}
