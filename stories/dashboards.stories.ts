import type { Meta, StoryContext, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
// Each element's define module (components/index.ts is not in package.json "sideEffects", so a bare
// import of it is tree-shaken away by the Storybook build).
import '../components/cohort/define.js';
import '../components/dashboard/define.js';
import '../components/fund-flow/define.js';
import '../components/funnel/define.js';
import '../components/heatmap/define.js';
import '../components/kpi-card/define.js';
import '../components/overdue-trend/define.js';
import '../components/rfm/define.js';
import '../components/table/define.js';
// mining: model monitoring
import '../components/model/define.js';
import { collectionDashboard, fundFlowDashboard, retentionDashboard } from '../src/dashboard/presets.js';
// mining: model monitoring
import { modelMonitoringDashboard } from '../src/dashboard/presets.js';
import type { DashboardSpec } from '../src/dashboard/spec.js';
import { DEFAULT_CUSTOMERS, look, sizeArgTypes, usage } from './support.js';

const docs = `The ready-made dashboards of \`src/dashboard/presets.ts\`, each a JSON spec rendered by \`<fin-dashboard>\`: data sources (here the seeded sample, at the size of the dataset-size control), a filter bar, a 12-column responsive grid of widgets and crossfilter linkage — a selection in one widget filters the others; the collector leaderboard drills from teams to collectors with a breadcrumb back.

${usage(`
<script type="module">
  import 'finboard/components';
  import { collectionDashboard } from 'finboard';
  const d = document.querySelector('fin-dashboard');
  d.spec = { ...collectionDashboard, sample: undefined, sources: [{ name: 'loan_months', url: '/api/loan_months.csv' }, …] };
</script>
<fin-dashboard locale="zh-CN" theme="light"></fin-dashboard>`)}

Specs are validated (docs/dashboard.schema.json); only allow-listed widget types and properties are ever created from a spec.`;

const dashboard = (spec: DashboardSpec) => (args: Record<string, unknown>, ctx: StoryContext) => {
  const { theme, locale } = look(ctx);
  const sized: DashboardSpec = { ...spec, sample: { customers: Number(args['customers'] ?? DEFAULT_CUSTOMERS) } };
  return html`<fin-dashboard .spec=${sized} theme=${theme} locale=${locale}></fin-dashboard>`;
};

const meta: Meta = {
  title: 'Dashboards/Ready-made',
  component: 'fin-dashboard',
  tags: ['autodocs'],
  parameters: { layout: 'fullscreen', docs: { description: { component: docs } } },
  args: { customers: DEFAULT_CUSTOMERS },
  argTypes: { ...sizeArgTypes, spec: { control: false }, engine: { control: false }, data: { control: false }, worker: { control: false } },
  decorators: [(story) => html`<div style="padding:12px">${story()}</div>`],
};
export default meta;
type Story = StoryObj;

/** 催收 Collection: delinquency KPIs, bucket trend, overdue and flow rates, roll-rate matrix, vintage, collector leaderboard with drill-down, channels, contact heatmap. */
export const Collection: Story = { render: dashboard(collectionDashboard) };
/** 客户维护 Retention: active and churn KPIs, cohort retention, RFM, churn trend, acquisition funnel with CAC. */
export const Retention: Story = { render: dashboard(retentionDashboard) };
/** 资金流向 Fund flow: inflow / outflow KPIs, net-flow trend, sankey, channel mix, weekday × hour heatmap, transaction alerts. */
export const FundFlow: Story = { render: dashboard(fundFlowDashboard) };
// mining: model monitoring
/** 风控模型监控 Model monitoring: the default model's KS / AUC / Gini / PSI with the monthly trend, ROC and KS curves, lift and gain per score band, expected vs actual distribution with the PSI by month, feature IV / CSI with WOE bins. */
export const ModelMonitoring: Story = { render: dashboard(modelMonitoringDashboard) };
