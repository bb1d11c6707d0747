import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DASHBOARDS } from '../../../src/dashboard/presets.js';
import { WIDGET_TYPES, presetRange, validateSpec } from '../../../src/dashboard/spec.js';
import type { WidgetSpec } from '../../../src/dashboard/spec.js';
import { createEngine } from '../../../src/engine/create.js';
import type { FinEngine } from '../../../src/engine/create.js';

/** The metric a widget's element sends (mirrors each element's defaultMetric/display switch). */
function metricOf(w: WidgetSpec): string {
  if (w.metric) return w.metric;
  const display = w.props?.['display'];
  switch (w.type) {
    case 'kpi-card':
      return 'kpi';
    case 'heatmap':
      return 'heatmap';
    case 'funnel':
      return 'funnel';
    case 'rfm':
      return 'rfm';
    case 'cohort':
      return w.props?.['mode'] === 'vintage' ? 'vintage' : 'cohort';
    case 'overdue-trend':
      return ({ buckets: 'bucket_trend', rates: 'overdue_rate', flows: 'flow_rate', rollrate: 'roll_rate' } as Record<string, string>)[String(display ?? 'buckets')]!;
    case 'fund-flow':
      return ({ sankey: 'sankey', trend: 'fund_flow', alerts: 'txn_alerts' } as Record<string, string>)[String(display ?? 'sankey')]!;
    // mining-cluster
    case 'cluster':
      return 'cluster';
    case 'profile':
      return 'profile';
    // mining: model monitoring (every display reads the one model_monitor answer)
    case 'model':
      return 'model_monitor';
    default:
      throw new Error(`no metric for ${w.type}`);
  }
}

describe('dashboard spec validation', () => {
  it('accepts the ready-made dashboards', () => {
    for (const spec of Object.values(DASHBOARDS)) expect(validateSpec(spec)).toEqual([]);
  });

  it('points at the offending path with a readable message', () => {
    const bad = {
      version: 1,
      id: '',
      title: 5,
      engine: { placement: 'remote' },
      sources: [{ name: 'x', url: 'JavaScript:alert(1)' }],
      widgets: [
        { id: 'a', type: 'pie' },
        { id: 'a', type: 'funnel', size: { w: 13 } },
        { id: 'b', type: 'table', drill: { levels: [{ field: 'team' }] } },
      ],
    };
    const issues = validateSpec(bad);
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['$.id', '$.title', '$.engine.url', '$.sources[0].url', '$.widgets[0].type', '$.widgets[1].id', '$.widgets[1].size.w', '$.widgets[2].drill']),
    );
    expect(issues.find((i) => i.path === '$.widgets[0].type')!.message).toMatch(/Unknown widget type "pie"/);
    expect(validateSpec(null)).toEqual([{ path: '$', message: 'The spec must be a JSON object' }]);
    expect(validateSpec({ ...bad, version: 3 }).map((i) => i.path)).toEqual(['$.version']);
  });

  it('ships a JSON Schema that lists the same widget types', () => {
    const schema = JSON.parse(readFileSync(new URL('../../../docs/dashboard.schema.json', import.meta.url), 'utf8'));
    expect(schema.properties.widgets.items.properties.type.enum).toEqual([...WIDGET_TYPES]);
  });

  it('computes date presets on calendar months', () => {
    expect(presetRange('last-3-months', '2026-02-15')).toEqual(['2025-12', '2026-02']);
    expect(presetRange('ytd', '2026-10-31')).toEqual(['2026-01', '2026-10']);
    expect(presetRange('this-month', '2026-01-31')).toEqual(['2026-01', '2026-01']);
    expect(presetRange('last-12-months', '2026-10-31')).toEqual(['2025-11', '2026-10']);
    expect(presetRange('all', '2026-10-31')).toEqual([null, null]);
  });
});

describe('ready-made dashboards on the sample data', () => {
  let engine: FinEngine;
  beforeAll(async () => {
    engine = createEngine();
    await engine.loadSample({ customers: 400 });
  });

  for (const [id, spec] of Object.entries(DASHBOARDS)) {
    for (const w of spec.widgets) {
      it(`${id} / ${w.id}: the widget's request computes a non-empty result`, async () => {
        const params = { ...(w.params ?? {}), ...(w.drill?.levels[0]?.params ?? {}) };
        if (w.props?.['preset']) params['preset'] = w.props['preset'];
        const req = { metric: metricOf(w), params, ...(w.source ? { source: w.source } : {}) };
        const r = await engine.query(req);
        expect(r.data.length, JSON.stringify(req)).toBeGreaterThan(0);
      });
    }
  }
});
