/** Messages of the dashboard spec's data checks (area `dashboard`, src/dashboard/field-check.ts). Plain text only. */
import { registerMessages } from '../messages.js';

export const dashboard = {
  unknownDataset: {
    'zh-CN': '未加载的数据集“{name}”（已加载：{known}）',
    'en-US': 'Dataset "{name}" is not loaded (loaded: {known})',
  },
  unknownField: {
    'zh-CN': '字段“{field}”不在数据集 {source} 中，也无法通过关联键找到',
    'en-US': 'Field "{field}" is not a column of {source}, nor reachable through its key links',
  },
  unknownFieldAny: {
    'zh-CN': '字段“{field}”不在任何已加载的数据集中',
    'en-US': 'Field "{field}" is not a column of any loaded dataset',
  },
  filterNowhere: {
    'zh-CN': '筛选字段“{field}”在任何已加载的数据集中都找不到，此筛选不会生效',
    'en-US': 'Filter field "{field}" resolves in no loaded dataset: the filter applies nowhere',
  },
  none: { 'zh-CN': '无', 'en-US': 'none' },
};

registerMessages('dashboard', dashboard);
