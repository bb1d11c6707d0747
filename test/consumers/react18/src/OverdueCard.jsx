import { useEffect, useRef } from 'react';
import 'finboard/components/kpi-card';

const overdue = { series: { metric: 'overdue_rate', params: { k: 1 }, value: 'rate' } };

export function OverdueCard({ engine }) {
  const ref = useRef(null);
  useEffect(() => {
    ref.current.engine = engine;
    ref.current.params = overdue;
  }, [engine]);
  return <fin-kpi-card ref={ref} heading="M1+ 逾期率" format="percent" direction="lower-is-better" locale="zh-CN" />;
}
