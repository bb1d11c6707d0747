/**
 * Messages of `<fin-profile>` and its spec builder (src/specs/profile-tgi.ts), area `profile`.
 * Importing this module registers them; read them with `msg(locale, key, vars, 'profile')`.
 */
import { registerMessages } from '../messages.js';

export const PROFILE_AREA = 'profile';

export const profileMessages = {
  attribute: { 'zh-CN': '属性', 'en-US': 'Attribute' },
  otherValues: { 'zh-CN': '其他（{n} 个取值）', 'en-US': 'Other ({n} values)' },
  allAttributes: { 'zh-CN': '全部属性', 'en-US': 'All attributes' },
  value: { 'zh-CN': '取值', 'en-US': 'Value' },
  groupCount: { 'zh-CN': '客群人数', 'en-US': 'In group' },
  groupShare: { 'zh-CN': '客群占比', 'en-US': 'Group share' },
  baseCount: { 'zh-CN': '基准人数', 'en-US': 'In base' },
  baseShare: { 'zh-CN': '基准占比', 'en-US': 'Base share' },
  tgi: { 'zh-CN': 'TGI', 'en-US': 'TGI' },
  tgiAxis: { 'zh-CN': 'TGI（100 = 与基准相同，越高越集中）', 'en-US': 'TGI (100 = as in the base; higher = over-represented)' },
  small: { 'zh-CN': '小样本', 'en-US': 'Small' },
  smallFlag: { 'zh-CN': '小样本（少于 {n} 人）', 'en-US': 'small (under {n})' },
  over: { 'zh-CN': '偏高', 'en-US': 'over-represented' },
  under: { 'zh-CN': '偏低', 'en-US': 'under-represented' },
  legendOver: { 'zh-CN': 'TGI > 100：客群中更集中', 'en-US': 'TGI > 100: over-represented in the group' },
  legendUnder: { 'zh-CN': 'TGI < 100：客群中较少', 'en-US': 'TGI < 100: under-represented' },
  legendSmall: { 'zh-CN': '浅色：小样本（少于 {n} 人）', 'en-US': 'Pale: small (under {n} in the group)' },
  capped: { 'zh-CN': '超过 {cap} 的 TGI 截断显示，数值见标签', 'en-US': 'TGIs above {cap} are cut at the edge; the label gives the value' },
  groupHead: { 'zh-CN': '客群：{label}，{n} 人 · 基准：{base}，{m} 人', 'en-US': 'Group: {label}, {n} customers · Base: {base}, {m}' },
  baseAll: { 'zh-CN': '全部客户', 'en-US': 'all customers' },
  baseRest: { 'zh-CN': '其余客户', 'en-US': 'the other customers' },
  smallGroup: { 'zh-CN': '客群少于 {n} 人：占比与 TGI 波动大，谨慎解读。', 'en-US': 'The group has fewer than {n} customers: shares and TGIs are volatile.' },
  numeric: { 'zh-CN': '数值属性对比', 'en-US': 'Numeric attributes' },
  groupMedian: { 'zh-CN': '客群中位数', 'en-US': 'Group median' },
  baseMedian: { 'zh-CN': '基准中位数', 'en-US': 'Base median' },
  groupMean: { 'zh-CN': '客群均值', 'en-US': 'Group mean' },
  baseMean: { 'zh-CN': '基准均值', 'en-US': 'Base mean' },
  groupIqr: { 'zh-CN': '客群四分位距', 'en-US': 'Group Q1–Q3' },
  index: { 'zh-CN': '均值指数', 'en-US': 'Mean index' },
  selectedGroup: { 'zh-CN': '所选客群', 'en-US': 'Selected customers' },
  noGroup: { 'zh-CN': '请选择一个客群', 'en-US': 'Choose a group' },
  noGroupHint: {
    'zh-CN': '在 RFM 分层或客户分群中选择一个分群，或设置 params.group。',
    'en-US': 'Select a segment in the RFM or cluster view, or set params.group.',
  },
  summary: {
    'zh-CN': '{title}：{label}（{n} 人）对比{base}。最偏高：{top}（TGI {topTgi}）；最偏低：{low}（TGI {lowTgi}）。',
    'en-US': '{title}: {label} ({n} customers) against {base}. Most over-represented: {top} (TGI {topTgi}); most under-represented: {low} (TGI {lowTgi}).',
  },
  'reason.group_ids_not_in_scope': { 'zh-CN': '不在范围内的客群 id', 'en-US': 'group ids not in scope' },
} as const;

registerMessages(PROFILE_AREA, profileMessages);
