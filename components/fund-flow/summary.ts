import { formatValue } from '../../src/format/number.js';
import type { Locale } from '../../src/format/number.js';
import { money, share, signedMoney, sortAlerts } from '../../src/specs/fund-flow.js';
import { m } from '../../src/specs/fund-flow/shared.js';
import { alertDate } from './alerts-view.js';
import type { FundFlowModel } from './model.js';

/** The text summary of a model (the chart's description): totals, leaders, extremes, largest alert. */
export function fundFlowSummary(md: FundFlowModel, L: Locale, title: string): string {
  const sep = L === 'zh-CN' ? '；' : '; ';
  if (md.display === 'sankey') {
    const sm = md.m;
    const net = sm.totalIn - sm.totalOut;
    let s = m(L, 'sumSankey', {
      title,
      in: money(sm.totalIn, L),
      out: money(sm.totalOut, L),
      netText: m(L, net >= 0 ? 'sumNetIn' : 'sumNetOut', { v: money(Math.abs(net), L) }),
    });
    const parts: string[] = [];
    const topIn = sm.nodes.filter((n) => n.side === 'in' && !n.synthetic)[0];
    const topOut = sm.nodes.filter((n) => n.side === 'out' && !n.synthetic)[0];
    if (topIn)
      parts.push(
        m(L, 'sumTopIn', {
          name: topIn.label,
          v: money(topIn.outflow, L),
          share: share(topIn.outflow, sm.totalIn, L),
        }),
      );
    if (topOut)
      parts.push(
        m(L, 'sumTopOut', {
          name: topOut.label,
          v: money(topOut.inflow, L),
          share: share(topOut.inflow, sm.totalOut, L),
        }),
      );
    for (const n of sm.nodes.filter((x) => x.side === 'mid').slice(0, 6))
      parts.push(m(L, 'sumMid', { name: n.label, in: money(n.inflow, L), out: money(n.outflow, L) }));
    if (parts.length) s += ` ${sentence(parts.join(sep), L)}`;
    return s;
  }
  if (md.display === 'trend') {
    const tm = md.m;
    const tt = tm.totals;
    if (!tt.length) return title;
    const sum = (k: 'inflow' | 'outflow'): number => tt.reduce((a, x) => a + (x[k] ?? 0), 0);
    const net = sum('inflow') - sum('outflow');
    let s = m(L, 'sumTrend', {
      title,
      from: tt[0]!.label,
      to: tt[tt.length - 1]!.label,
      n: tt.length,
      in: money(sum('inflow'), L),
      out: money(sum('outflow'), L),
      netText: m(L, net >= 0 ? 'sumNetIn' : 'sumNetOut', { v: money(Math.abs(net), L) }),
      cum: signedMoney(tt[tt.length - 1]!.cum, L),
    });
    const withNet = tt.filter((x) => x.net !== null);
    const best = [...withNet].sort((a, b) => b.net! - a.net!)[0];
    const worst = [...withNet].sort((a, b) => a.net! - b.net!)[0];
    const parts: string[] = [];
    if (best && best.net! > 0) parts.push(m(L, 'sumBest', { p: best.label, v: signedMoney(best.net, L) }));
    if (worst && worst.net! < 0)
      parts.push(m(L, 'sumWorst', { p: worst.label, v: signedMoney(worst.net, L) }));
    if (parts.length) s += ` ${sentence(parts.join(sep), L)}`;
    return s;
  }
  const am = md.m;
  const byRule = am.byRule.map((b) => `${b.label} ${b.n}`).join(L === 'zh-CN' ? '，' : ', ');
  let s = m(L, 'sumAlerts', { title, n: formatValue(am.total, 'count', L), byRule });
  const largest = sortAlerts(am.rows, 'amount', 'desc')[0];
  if (largest)
    s +=
      ' ' +
      m(L, 'sumLargest', {
        date: alertDate(largest, L),
        customer: largest.customer,
        rule: largest.ruleLabel,
        v: formatValue(largest.amount, 'currency', L, 2),
      });
  return s;
}

/** Parts joined into a sentence: capitalised and closed with a full stop (。 in zh-CN). */
function sentence(text: string, locale: string): string {
  return locale === 'zh-CN' ? `${text}。` : `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}
