// 组装看板 / Compose: the dashboard editor on the seeded sample. Start from an empty or a
// ready-made dashboard, build, preview, save (kept in this browser), download and re-open the JSON.
// The page is the host: persistence is its job, the editor has no network of its own.
import '../components/dashboard-editor/define.js';
import type { FinDashboardEditor } from '../components/dashboard-editor/editor.js';
import { DASHBOARDS } from '../src/dashboard/presets.js';
import type { DashboardSpec } from '../src/dashboard/spec.js';
import { createEngine } from '../src/engine/create.js';

type Lang = 'zh-CN' | 'en-US';
const T: Record<string, Record<Lang, string>> = {
  heading: { 'zh-CN': '组装看板', 'en-US': 'Compose a dashboard' },
  start: { 'zh-CN': '起点', 'en-US': 'Start from' },
  empty: { 'zh-CN': '空白看板', 'en-US': 'Empty dashboard' },
  collection: { 'zh-CN': '催收', 'en-US': 'Collection' },
  retention: { 'zh-CN': '客户维护', 'en-US': 'Retention' },
  fundflow: { 'zh-CN': '资金流向', 'en-US': 'Fund flow' },
  saved: { 'zh-CN': '上次保存', 'en-US': 'Last saved' },
  open: { 'zh-CN': '打开 JSON', 'en-US': 'Open JSON' },
  download: { 'zh-CN': '下载 JSON', 'en-US': 'Download JSON' },
  language: { 'zh-CN': '语言', 'en-US': 'Language' },
  theme: { 'zh-CN': '主题', 'en-US': 'Theme' },
  light: { 'zh-CN': '浅色', 'en-US': 'Light' },
  dark: { 'zh-CN': '深色', 'en-US': 'Dark' },
  back: { 'zh-CN': '← 门户', 'en-US': '← Portal' },
  loading: { 'zh-CN': '正在载入示例数据…', 'en-US': 'Loading the sample data…' },
  ready: { 'zh-CN': '示例数据已载入（{n} 个数据集）。拖入组件，或在“预览”中查看看板。', 'en-US': 'Sample loaded ({n} datasets). Drag widgets in, or look at the dashboard in “Preview”.' },
  savedAt: { 'zh-CN': '已保存在本浏览器（{t}）。', 'en-US': 'Saved in this browser ({t}).' },
  badFile: { 'zh-CN': '文件不是有效的 JSON：{m}', 'en-US': 'The file is not valid JSON: {m}' },
};
const STORE = 'finboard.compose.spec';

const params = new URLSearchParams(location.search);
const start = document.getElementById('start') as HTMLSelectElement;
const locale = document.getElementById('locale') as HTMLSelectElement;
const theme = document.getElementById('theme') as HTMLSelectElement;
const status = document.getElementById('status')!;
locale.value = params.get('locale') ?? 'zh-CN';
theme.value = params.get('theme') ?? 'light';
start.value = params.get('start') ?? (localStorage.getItem(STORE) ? 'saved' : 'empty');
const lang = (): Lang => (locale.value === 'en-US' ? 'en-US' : 'zh-CN');
const say = (key: string, vars: Record<string, string | number> = {}): string =>
  T[key]![lang()].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));

function localise(): void {
  document.documentElement.lang = lang();
  document.documentElement.dataset['theme'] = theme.value;
  for (const el of document.querySelectorAll<HTMLElement>('[data-t]')) {
    const t = T[el.dataset['t'] ?? ''];
    if (t) el.textContent = t[lang()];
  }
}

const empty = (): DashboardSpec => ({ version: 2, id: 'my-dashboard', title: { 'zh-CN': '我的看板', 'en-US': 'My dashboard' }, sample: { customers: 800 }, widgets: [] });

function initial(): unknown {
  if (start.value === 'saved') {
    try {
      return JSON.parse(localStorage.getItem(STORE) ?? '');
    } catch {
      return empty();
    }
  }
  const preset = DASHBOARDS[start.value];
  return preset ? { ...preset, sample: { customers: 800 } } : empty();
}

localise();
const editor = document.createElement('fin-dashboard-editor') as FinDashboardEditor;
editor.locale = lang();
editor.theme = theme.value as 'light' | 'dark';
document.getElementById('main')!.append(editor);

const engine = createEngine({ placement: 'worker' });
status.textContent = say('loading');
void engine.loadSample({ customers: 800 }).then(async () => {
  editor.engine = engine;
  status.textContent = say('ready', { n: (await engine.datasetsInfo()).length });
});
editor.spec = initial() as DashboardSpec;

editor.addEventListener('fin-save', (e) => {
  localStorage.setItem(STORE, JSON.stringify(e.detail.spec));
  status.textContent = say('savedAt', { t: new Date().toLocaleTimeString(lang()) });
});

document.getElementById('download')!.addEventListener('click', () => {
  const blob = new Blob([editor.exportJson()], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${editor.value?.id ?? 'dashboard'}.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
});

document.getElementById('open')!.addEventListener('change', async (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (!file) return;
  try {
    editor.spec = JSON.parse(await file.text()) as DashboardSpec;
  } catch (err) {
    status.textContent = say('badFile', { m: (err as Error).message });
  }
});

start.addEventListener('change', () => {
  params.set('start', start.value);
  location.search = params.toString();
});
for (const sel of [locale, theme])
  sel.addEventListener('change', () => {
    params.set(sel.id, sel.value);
    location.search = params.toString();
  });
