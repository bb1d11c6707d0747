// React 19: custom elements take properties and on<event> listeners directly
import 'finboard/components/heatmap';

export const ContactHeatmap = ({ engine, onSelect }) => (
  <fin-heatmap engine={engine} preset="contact-rate-weekday-hour" locale="zh-CN" onfin-select={(e) => onSelect(e.detail.clause)} />
);
