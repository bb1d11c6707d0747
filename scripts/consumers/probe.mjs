/* global document -- probe() runs in Chromium */
/**
 * Runs IN THE PAGE. Every fin-* element with a renderState (light DOM, and inside dashboards'
 * shadow roots) and whether it painted. Returns the report, with `done` when `expect` is met.
 */
export function probe(expect) {
  const area = (n) => {
    const r = n.getBoundingClientRect();
    return r.width * r.height;
  };
  const extent = (n) => {
    const r = n.getBoundingClientRect();
    return r.width > 0 || r.height > 0;
  };
  const painted = (el) => {
    const st = el.renderState;
    const sr = el.shadowRoot;
    if (st !== 'ok' && st !== 'partial') return { ok: false, why: `state ${st}` };
    if (!sr) return { ok: false, why: 'no shadow root' };
    if (area(el) === 0) return { ok: false, why: 'element has no size' };
    if (el.localName === 'fin-kpi-card') {
      const v = sr.querySelector('[part="value"]');
      const text = (v?.textContent ?? '').trim();
      const ok = !!v && text !== '' && !/^[—–-]+$/.test(text) && area(v) > 0;
      return { ok, why: ok ? '' : `value "${text}"`, marks: 1, text };
    }
    if (el.view === 'table' || el.localName === 'fin-table') {
      const rows = [...sr.querySelectorAll('tbody tr')].filter((r) => area(r) > 0).length;
      return { ok: rows > 0, why: rows ? '' : 'no table rows with size', marks: rows };
    }
    let marks = 0;
    for (const c of sr.querySelectorAll('canvas')) {
      if (!c.width || !c.height || area(c) === 0) continue;
      try {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4 * 13) if (d[i] > 0) marks++;
      } catch {
        /* not a 2d canvas */
      }
    }
    marks += [...sr.querySelectorAll('svg .role-mark > *')].filter(extent).length;
    if (!marks)
      marks = [
        ...sr.querySelectorAll(
          '.plot svg path, .plot svg rect, [part~="chart"] svg path, [part~="chart"] svg rect',
        ),
      ].filter((n) => area(n) > 0).length;
    return { ok: marks > 0, why: marks ? '' : 'no marks with size', marks };
  };
  const els = [];
  const dashboards = [];
  const visit = (root, inWorker, dash) => {
    for (const el of root.querySelectorAll('*')) {
      if (!el.localName.startsWith('fin-')) continue;
      const w = inWorker || el.id === 'worker' || !!el.closest?.('#worker');
      if ('renderState' in el) {
        const heat = el.id === 'heatmap' || !!el.closest?.('#heatmap');
        els.push({
          tag: el.localName,
          id: el.id || el.getAttribute('widget-id') || '',
          worker: w,
          heat,
          dash,
          ...painted(el),
        });
      } else if (el.localName === 'fin-dashboard') {
        const widgets = el.shadowRoot ? el.shadowRoot.querySelectorAll('[data-widget]').length : 0;
        const err = el.shadowRoot?.querySelector('[part="error"]')?.textContent?.trim() ?? '';
        const d = { id: el.id || `dashboard${dashboards.length + 1}`, worker: w, widgets, err };
        dashboards.push(d);
        if (el.shadowRoot) visit(el.shadowRoot, w, d.id);
      } else if (el.shadowRoot) visit(el.shadowRoot, w, dash);
    }
  };
  visit(document, false, '');
  for (const d of dashboards) {
    const mine = els.filter((e) => e.dash === d.id);
    d.painted = mine.filter((e) => e.ok).length;
    d.elements = mine.length;
    d.ok = d.widgets > 0 && d.elements >= d.widgets && d.painted === d.elements && !d.err;
  }
  const top = els.filter((e) => !e.dash);
  const need = {
    kpi: () => top.some((e) => e.tag === 'fin-kpi-card' && !e.worker && e.ok),
    // #heatmap is the fin-heatmap itself or a host element around it.
    heatmap: () => top.some((e) => e.tag === 'fin-heatmap' && e.heat && e.ok),
    dashboard: () => dashboards.some((d) => !d.worker && d.ok),
    worker: () => {
      const w = els.filter((e) => e.worker);
      const result = document.querySelector('#worker-result');
      return (
        w.length > 0 &&
        w.every((e) => e.ok) &&
        dashboards.filter((d) => d.worker).every((d) => d.ok) &&
        (!result || /\d/.test(result.textContent ?? ''))
      );
    },
  };
  const missing = expect.filter((k) => !need[k]());
  const notPainted = els.filter((e) => !e.ok);
  return {
    done: missing.length === 0 && notPainted.length === 0,
    at: performance.now(),
    missing,
    notPainted: notPainted.map(
      (e) => `${e.dash ? `${e.dash} › ` : ''}${e.tag}${e.id ? `#${e.id}` : ''}: ${e.why}`,
    ),
    elements: els.length,
    marks: els.reduce((s, e) => s + (e.marks ?? 0), 0),
    dashboards: dashboards.map(
      (d) =>
        `${d.id}${d.worker ? ' (worker)' : ''}: ${d.painted}/${d.widgets} widgets painted${d.err ? `, error ${d.err.slice(0, 120)}` : ''}`,
    ),
    workerResult: document.querySelector('#worker-result')?.textContent ?? null,
  };
}
