// The host-portal demo: navigation between the ready-made dashboards on the seeded sample,
// with a size switch (10k / 100k / 1M loan-months; the engine moves to a worker above 10k),
// locale and theme. Text-only DOM building (no innerHTML).
import '../components/index.js';
import type { FinDashboard } from '../components/dashboard/dashboard.js';
import { DASHBOARDS } from '../src/dashboard/presets.js';
import type { DashboardSpec } from '../src/dashboard/spec.js';

const NAMES: Record<string, { 'zh-CN': string; 'en-US': string }> = {
  collection: { 'zh-CN': '催收', 'en-US': 'Collection' },
  retention: { 'zh-CN': '客户维护', 'en-US': 'Retention' },
  'fund-flow': { 'zh-CN': '资金流向', 'en-US': 'Fund flow' },
  // mining-cluster
  'high-value': { 'zh-CN': '优质客户', 'en-US': 'High-value customers' },
  // mining: model monitoring
  'model-monitoring': { 'zh-CN': '风控模型监控', 'en-US': 'Model monitoring' },
};

const nav = document.getElementById('nav')!;
const main = document.getElementById('main')!;
const size = document.getElementById('size') as HTMLSelectElement;
const locale = document.getElementById('locale') as HTMLSelectElement;
const theme = document.getElementById('theme') as HTMLSelectElement;
const params = new URLSearchParams(location.search);
size.value = params.get('size') ?? '100000';
locale.value = params.get('locale') ?? 'zh-CN';
theme.value = params.get('theme') ?? 'light';

/** Text of the portal chrome (elements localise themselves). */
const CHROME: Record<string, { 'zh-CN': string; 'en-US': string }> = {
  size: { 'zh-CN': '数据量', 'en-US': 'Size' },
  rows10k: { 'zh-CN': '10k 贷款月', 'en-US': '10k loan-months' },
  rows100k: { 'zh-CN': '100k 贷款月', 'en-US': '100k loan-months' },
  rows1m: { 'zh-CN': '1M 贷款月', 'en-US': '1M loan-months' },
  language: { 'zh-CN': '语言', 'en-US': 'Language' },
  theme: { 'zh-CN': '主题', 'en-US': 'Theme' },
  light: { 'zh-CN': '浅色', 'en-US': 'Light' },
  dark: { 'zh-CN': '深色', 'en-US': 'Dark' },
  credits: {
    'zh-CN': '示例数据为生成数据（固定种子）。真实数据集：UCI Bank Marketing（Moro 等，2014）、Default of Credit Card Clients（Yeh & Lien，2009）与 Statlog German Credit（Hofmann，1994），CC BY 4.0。',
    'en-US': 'Sample data is generated (seeded). Real datasets: UCI Bank Marketing (Moro et al., 2014), Default of Credit Card Clients (Yeh & Lien, 2009) and Statlog German Credit (Hofmann, 1994), CC BY 4.0.',
  },
  embed: { 'zh-CN': '纯 HTML 嵌入', 'en-US': 'Plain-HTML embedding' },
  real: { 'zh-CN': '真实数据集', 'en-US': 'Real datasets' },
  compose: { 'zh-CN': '组装看板', 'en-US': 'Compose' },
  csp: { 'zh-CN': '严格 CSP', 'en-US': 'Strict CSP' },
  warehouse: { 'zh-CN': '服务端 DuckDB（1000 万行）', 'en-US': 'DuckDB server (10M rows)' },
};

function localiseChrome(lang: 'zh-CN' | 'en-US'): void {
  for (const el of document.querySelectorAll<HTMLElement>('[data-t]')) {
    const text = CHROME[el.dataset['t'] ?? ''];
    if (text) el.textContent = text[lang];
  }
}

function current(): string {
  const id = params.get('d') ?? 'collection';
  return id in DASHBOARDS ? id : 'collection';
}

function go(changes: Record<string, string>): void {
  for (const [k, v] of Object.entries(changes)) params.set(k, v);
  location.search = params.toString();
}

function renderNav(): void {
  nav.replaceChildren();
  for (const id of Object.keys(DASHBOARDS)) {
    const a = document.createElement('a');
    a.href = `?${new URLSearchParams({ ...Object.fromEntries(params), d: id }).toString()}`;
    a.textContent = NAMES[id]![locale.value as 'zh-CN' | 'en-US'];
    if (id === current()) a.setAttribute('aria-current', 'page');
    nav.append(a);
  }
}

/**
 * The seeded sample pre-generated as Arrow by the production build (vite.demo.config.ts): size →
 * dataset → URL. Absent under `npm run dev`, where the engine generates the sample itself.
 */
const PREBUILT: Record<string, Record<string, string>> | null =
  typeof __FINBOARD_SAMPLE__ === 'undefined' ? null : __FINBOARD_SAMPLE__;
/** Datasets a dashboard reads (the collection one needs no transactions, the largest file). */
const NEEDS: Record<string, string[] | undefined> = {
  collection: ['loans', 'loan_months', 'collection_actions'],
};

/** The sample as data sources: pre-generated Arrow files, or the generator's options. */
function sampleFor(id: string, rows: number): Pick<DashboardSpec, 'sample' | 'sources'> {
  const files = PREBUILT?.[String(rows)];
  if (!files) return { sample: { loanMonths: rows, seed: 20240601 } };
  const names = Object.keys(files).filter((n) => NEEDS[id]?.includes(n) ?? true);
  // Absolute URLs: the worker resolves relative ones against its own script.
  return { sample: undefined, sources: names.map((name) => ({ name, url: new URL(files[name]!, location.href).href })) };
}

function specFor(id: string): DashboardSpec {
  const base = DASHBOARDS[id]!;
  const rows = Number(size.value);
  const worker = rows > 10000;
  // Targets in the ready-made specs are sized for the default sample; scale them with the data.
  const widgets = base.widgets.map((w) =>
    typeof w.params?.['target'] === 'number' ? { ...w, params: { ...w.params, target: Math.round((w.params['target'] as number) * (rows / 20000)) } } : w,
  );
  return {
    ...base,
    widgets,
    engine: { placement: worker ? 'worker' : 'thread' },
    ...sampleFor(id, rows),
  };
}

function mount(): void {
  document.documentElement.lang = locale.value;
  localiseChrome(locale.value === 'en-US' ? 'en-US' : 'zh-CN');
  document.documentElement.dataset['theme'] = theme.value;
  renderNav();
  const status = document.createElement('p');
  status.className = 'status';
  status.setAttribute('role', 'status');
  const rows = Number(size.value);
  status.textContent =
    locale.value === 'zh-CN'
      ? `示例数据约 ${rows.toLocaleString('zh-CN')} 条贷款月记录；引擎运行于${rows > 10000 ? 'Web Worker' : '页面线程'}。`
      : `Sample data of about ${rows.toLocaleString('en-US')} loan-month rows; engine in ${rows > 10000 ? 'a Web Worker' : 'the page thread'}.`;
  const dash = document.createElement('fin-dashboard') as FinDashboard;
  dash.locale = locale.value;
  dash.theme = theme.value as 'light' | 'dark';
  dash.hashState = true;
  const t0 = performance.now();
  dash.addEventListener('fin-error', (e) => {
    status.textContent = `${status.textContent ?? ''} ⚠ ${(e as CustomEvent<{ message: string }>).detail.message}`;
  });
  dash.spec = specFor(current());
  // Every widget on screen (fin-render from each): said in the status, from the page's start.
  const painted = new Set<EventTarget>();
  const onRender = (e: Event): void => {
    painted.add(e.composedPath()[0]!);
    if (painted.size < dash.spec!.widgets.length) return;
    dash.removeEventListener('fin-render', onRender);
    const ms = Math.round(performance.now());
    status.textContent += locale.value === 'zh-CN' ? ` 全部图表绘制于打开页面后 ${ms} 毫秒。` : ` Every chart drawn ${ms} ms after opening.`;
    document.body.dataset['painted'] = String(ms);
  };
  dash.addEventListener('fin-render', onRender);
  main.replaceChildren(status, dash);
  void (async () => {
    while (!dash.activeEngine || !dash.isReady) await new Promise((r) => setTimeout(r, 100));
    const ms = Math.round(performance.now() - t0);
    status.textContent += locale.value === 'zh-CN' ? ` 数据加载 ${ms} 毫秒。` : ` Data loaded in ${ms} ms.`;
    document.body.dataset['ready'] = '1';
  })();
}

size.addEventListener('change', () => go({ size: size.value }));
locale.addEventListener('change', () => go({ locale: locale.value }));
theme.addEventListener('change', () => go({ theme: theme.value }));
mount();
