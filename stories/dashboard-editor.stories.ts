import type { Meta, StoryContext, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/dashboard-editor/define.js';
import { collectionDashboard, fundFlowDashboard, retentionDashboard } from '../src/dashboard/presets.js';
import type { DashboardSpec } from '../src/dashboard/spec.js';
import type { FinEngine } from '../src/engine/create.js';
import { engineLoader, look, usage } from './support.js';

const docs = `\`<fin-dashboard-editor>\` lets product teams compose dashboards inside the host portal: a palette of every element and of the ready-made widgets, a 12-column canvas (drag to move, drag the corner to resize, or with the keyboard: Enter picks a widget up, arrows move, Shift+arrows resize, Enter drops, Escape cancels), a settings drawer whose params form is generated from the metric's JSON Schema with a live preview on the real engine, the filter bar, undo/redo (100 steps), validation with JSON-pointer paths, a raw JSON tab and a full preview.

${usage(`
<script type="module">
  import 'finboard/components/dashboard-editor';
  import { collectionDashboard } from 'finboard/dashboards';
  const editor = document.querySelector('fin-dashboard-editor');
  editor.engine = engine;            // data loaded: field pickers, sample values, previews
  editor.spec = collectionDashboard;  // any spec version; migrated on open
  editor.addEventListener('fin-spec-change', (e) => draft = e.detail.spec);
  editor.addEventListener('fin-save', (e) => save(e.detail.spec)); // persistence is the host's
</script>
<fin-dashboard-editor locale="zh-CN"></fin-dashboard-editor>`)}

The exported spec is exactly what the preview shows; opening and exporting without edits returns the input unchanged; unknown keys are kept; no defaults are written that the user did not choose. See docs/composer.md.`;

const EMPTY: DashboardSpec = { version: 2, id: 'new', title: { 'zh-CN': '新看板', 'en-US': 'New dashboard' }, widgets: [] };

/**
 * A spec with problems the editor points at: an overlap, a widget outside the grid, an unknown type,
 * and (once the engine lists its datasets) fields and filters that resolve nowhere and a dataset
 * that is not loaded.
 */
const WITH_ERRORS = {
  version: 2,
  id: 'broken',
  title: { 'zh-CN': '有问题的看板', 'en-US': 'Dashboard with problems' },
  filters: [
    { type: 'date-range', id: 'date', fields: ['snapshot_date', 'paid_on'] },
    { type: 'multi', id: 'region', field: 'regoin', source: 'loans' },
  ],
  widgets: [
    { id: 'a', type: 'kpi-card', title: { 'zh-CN': '逾期率', 'en-US': 'Overdue rate' }, params: { measure: { agg: 'sum', field: 'amount_typo' } }, grid: { x: 0, y: 0, w: 6, h: 2 } },
    { id: 'b', type: 'table', metric: 'collector_performance', grid: { x: 4, y: 1, w: 6, h: 3 }, drill: { levels: [{ field: 'team' }, { field: 'collector_idd' }] } },
    { id: 'c', type: 'pie', grid: { x: 10, y: 4, w: 4, h: 2 } },
    { id: 'd', type: 'table', metric: 'distinct', source: 'ledger', params: { field: 'region' }, grid: { x: 0, y: 6, w: 4, h: 2 } },
  ],
};

const editor =
  (spec: unknown) =>
  (_args: Record<string, unknown>, ctx: StoryContext): ReturnType<typeof html> => {
    const { theme, locale } = look(ctx);
    const engine = (ctx.loaded as { engine?: FinEngine }).engine ?? null;
    return html`<fin-dashboard-editor .spec=${spec} .engine=${engine} theme=${theme} locale=${locale}></fin-dashboard-editor>`;
  };

const meta: Meta = {
  title: 'Dashboards/Composer',
  component: 'fin-dashboard-editor',
  tags: ['autodocs'],
  loaders: [engineLoader],
  parameters: { layout: 'fullscreen', docs: { description: { component: docs } } },
  argTypes: { spec: { control: false }, engine: { control: false } },
  decorators: [(story) => html`<div style="padding:12px">${story()}</div>`],
};
export default meta;
type Story = StoryObj;

/** Empty: start a new dashboard from the palette. */
export const Empty: Story = { render: editor(EMPTY) };
/** The collection dashboard opened for editing. */
export const Collection: Story = { render: editor(collectionDashboard) };
/** The retention dashboard opened for editing. */
export const Retention: Story = { render: editor(retentionDashboard) };
/** The fund-flow dashboard opened for editing. */
export const FundFlow: Story = { render: editor(fundFlowDashboard) };
/**
 * With validation errors: overlapping widgets, one outside the grid, an unknown type, unknown fields
 * (a param, a drill level), filter-bar fields that resolve nowhere and a dataset that is not loaded;
 * each named with its JSON path in the panel, in the widget's cell and under the drawer's field.
 */
export const ValidationErrors: Story = { render: editor(WITH_ERRORS) };
/** Dark theme, English. */
export const DarkEnglish: Story = { render: editor(collectionDashboard), globals: { theme: 'dark', locale: 'en-US' } };
/** Read-only: everything visible, nothing editable. */
export const ReadOnly: Story = {
  render: (_args, ctx) => {
    const { theme, locale } = look(ctx);
    return html`<fin-dashboard-editor readonly .spec=${retentionDashboard} .engine=${(ctx.loaded as { engine?: FinEngine }).engine ?? null} theme=${theme} locale=${locale}></fin-dashboard-editor>`;
  },
};
