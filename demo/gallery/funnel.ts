// Gallery of <fin-funnel>: every theme × locale on the seeded sample, orientations, breakdowns,
// the narrow (320px) case, long Chinese stage names, the states, and the UCI bank-marketing
// funnel checked against its published 11.70%. Text-only DOM building (no innerHTML).
import '../../components/funnel/define.js';
import type { FinFunnel } from '../../components/funnel/funnel.js';
import { createEngine } from '../../src/engine/create.js';
import type { MetricResult } from '../../src/engine/types.js';
import { BANK_FULL, fetchGzText } from '../real-data.js';
import {
  BANK_STAGES_EN,
  BANK_STAGES_ZH,
  bankFunnelEvents,
  bankFunnelParams,
} from '../../src/data/real/bank-marketing.js';
import { captioned, markReady, page, Shelf, titled, until } from './gallery.js';

const main = page('main');
const funnels = new Shelf<FinFunnel>('fin-funnel');
const section = (title: string): HTMLElement => titled(main, title);

function cell(
  parent: HTMLElement,
  caption: string,
  props: Partial<FinFunnel> & { cls?: string } = {},
): FinFunnel {
  const { cls, ...rest } = props;
  const el = funnels.make({}, rest);
  captioned(parent, caption, el, `cell ${cls ?? ''} ${props.theme === 'dark' ? 'dark' : ''}`);
  return el;
}

const all = funnels.all;
const add = (el: FinFunnel): FinFunnel => (all.push(el), el);

const basis = {
  metric: 'funnel',
  title: { 'zh-CN': '贷款申请漏斗', 'en-US': 'Loan application funnel' },
  formula: { 'zh-CN': '各阶段人数', 'en-US': 'Entities per stage' },
  options: {},
  filters: [],
  exclusions: [],
};

const row = (
  stage: string,
  step: number,
  count: number,
  prev: number | null,
  first: number,
  medianHours: number | null,
) => ({
  stage,
  step,
  count,
  stepConversion: prev ? count / prev : null,
  overallConversion: first ? count / first : null,
  dropOff: prev === null ? null : prev - count,
  medianHours,
});

/** Hand-made result with long Chinese stage names. */
const longNames: MetricResult = {
  data: [
    row('营销短信触达（含App推送）', 1, 128450, null, 128450, null),
    row('点击落地页并完成手机号验证', 2, 40210, 128450, 128450, 0.4),
    row('提交贷款申请资料并完成人脸识别认证', 3, 9120, 40210, 128450, 26),
    row('授信审批通过', 4, 4010, 9120, 128450, 3.2),
    row('首笔提款', 5, 2890, 4010, 128450, 70),
  ],
  basis,
  quality: { rows: 0, used: 0, excluded: {}, warnings: [] },
};

const partial: MetricResult = {
  ...longNames,
  data: longNames.data.slice(0, 3),
  quality: {
    rows: 180000,
    used: 177640,
    excluded: { missing_time: 2360 },
    warnings: [
      { 'zh-CN': '2024年3月的事件数据缺失两天。', 'en-US': 'Two days of March 2024 events are missing.' },
    ],
  },
};

async function main_(): Promise<void> {
  const engine = createEngine();
  await engine.loadSample({ customers: 800 });

  const themes = section('Sample · themes × locales (horizontal, strict)');
  for (const theme of ['light', 'dark'] as const) {
    for (const locale of ['zh-CN', 'en-US']) {
      add(cell(themes, `theme=${theme} locale=${locale}`, { engine, theme, locale }));
    }
  }

  const shapes = section('Orientation, breakdown, mode');
  add(
    cell(shapes, 'orientation=vertical locale=zh-CN', { engine, orientation: 'vertical', locale: 'zh-CN' }),
  );
  add(
    cell(shapes, 'orientation=vertical theme=dark locale=en-US', {
      engine,
      orientation: 'vertical',
      locale: 'en-US',
      theme: 'dark',
    }),
  );
  add(
    cell(shapes, 'breakdown=channel (grouped) locale=zh-CN', {
      engine,
      breakdown: 'channel',
      locale: 'zh-CN',
      cls: 'wide',
    }),
  );
  add(
    cell(shapes, 'breakdown=channel breakdown-layout=small-multiples locale=en-US', {
      engine,
      breakdown: 'channel',
      breakdownLayout: 'small-multiples',
      locale: 'en-US',
      cls: 'wide',
    }),
  );
  add(
    cell(shapes, 'breakdown=channel grouped vertical theme=dark locale=en-US', {
      engine,
      breakdown: 'channel',
      orientation: 'vertical',
      theme: 'dark',
      locale: 'en-US',
    }),
  );
  add(cell(shapes, 'mode=loose locale=zh-CN', { engine, mode: 'loose', locale: 'zh-CN' }));

  const narrow = section('Narrow (320px), long names, selection');
  const row1 = document.createElement('div');
  row1.className = 'row';
  narrow.replaceWith(row1);
  add(cell(row1, '320px zh-CN', { engine, locale: 'zh-CN', cls: 'narrow' }));
  add(cell(row1, '320px en-US dark', { engine, locale: 'en-US', theme: 'dark', cls: 'narrow' }));
  add(cell(row1, 'long Chinese stage names (.result)', { result: longNames, locale: 'zh-CN' }));
  const sel = add(cell(row1, 'selected stage (点击) · zh-CN', { engine, locale: 'zh-CN' }));

  const states = section('States');
  add(
    cell(states, 'empty (filter matches nothing)', {
      engine,
      locale: 'zh-CN',
      filters: [{ field: 'channel', op: 'eq', value: '不存在的渠道' }],
    }),
  );
  add(
    cell(states, 'error (missing column: rows without "stage")', {
      data: [{ user_id: 'u1', event_time: '2024-01-01' }],
      locale: 'en-US',
    }),
  );
  add(cell(states, 'partial (quality warnings)', { result: partial, locale: 'zh-CN' }));
  add(
    cell(states, 'error (bad result) theme=dark', {
      result: { nope: 1 } as unknown as MetricResult,
      locale: 'zh-CN',
      theme: 'dark',
    }),
  );

  const bank = section('UCI Bank Marketing (bank-full.csv): 5,289 / 45,211 = 11.70%');
  try {
    const csv = await fetchGzText(BANK_FULL);
    for (const [locale, names] of [
      ['zh-CN', BANK_STAGES_ZH],
      ['en-US', BANK_STAGES_EN],
    ] as const) {
      const e = createEngine({ timeZone: 'UTC' });
      await e.load('funnel_events', bankFunnelEvents(csv, names));
      const r = await e.query({ metric: 'funnel', params: bankFunnelParams(names) });
      add(
        cell(bank, `bank-full strict · ${locale} · digits=2 (.result)`, {
          result: r,
          locale,
          digits: 2,
          heading: locale === 'zh-CN' ? '定期存款营销漏斗（UCI）' : 'Term-deposit marketing funnel (UCI)',
        }),
      );
      if (locale === 'en-US') {
        add(
          cell(bank, 'bank-full by contact type · small multiples · en-US', {
            engine: e,
            params: bankFunnelParams(names),
            breakdown: 'channel',
            breakdownLayout: 'small-multiples',
            locale,
            digits: 2,
            cls: 'wide',
          }),
        );
      }
    }
  } catch (err) {
    const p = document.createElement('p');
    p.className = 'note';
    p.textContent = `bank-full.csv.gz could not be loaded: ${String(err)}`;
    bank.append(p);
  }

  // Everything rendered: no element loading or idle any more.
  const settled = (): boolean =>
    all.every(
      (el) =>
        !['loading', 'idle'].includes(el.renderState) ||
        (el.result === null && el.data === null && el.engine === null),
    );
  await until(settled, 10000, 50);
  await Promise.all(all.map((el) => el.updateComplete));
  // Select a stage on one instance, as a user would (click).
  const g = sel.shadowRoot?.querySelectorAll<SVGGElement>('g.stage')[1];
  g?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
  await sel.updateComplete;
  await new Promise((r) => requestAnimationFrame(() => r(null)));
  markReady();
}

void main_();
