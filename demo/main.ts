// The host-portal demo: navigation between the three ready-made dashboards on the seeded sample,
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
    sample: { loanMonths: rows, seed: 20240601 },
  };
}

function mount(): void {
  document.documentElement.lang = locale.value;
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
