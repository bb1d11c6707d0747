// React 18: set properties and listen to events through a ref
import { useEffect, useRef } from 'react';
import 'finboard/components/heatmap';

export function ContactHeatmap({ engine, onSelect }) {
  const ref = useRef(null);
  useEffect(() => {
    const el = ref.current;
    el.engine = engine;
    const listener = (e) => onSelect(e.detail.clause);
    el.addEventListener('fin-select', listener);
    return () => el.removeEventListener('fin-select', listener);
  }, [engine, onSelect]);
  return <fin-heatmap ref={ref} preset="contact-rate-weekday-hour" locale="zh-CN" />;
}
