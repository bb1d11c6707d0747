import 'finboard/components/kpi-card';

// A module constant (or useMemo): a new object on every render would query again each time.
const overdue = { series: { metric: 'overdue_rate', params: { k: 1 }, value: 'rate' } };

export function OverdueCard({ engine }) {
  return <fin-kpi-card engine={engine} params={overdue} heading="M1+ 逾期率" format="percent" direction="lower-is-better" locale="zh-CN" />;
}
