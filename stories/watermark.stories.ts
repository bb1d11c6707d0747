import type { Meta, StoryContext, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/kpi-card/define.js';
import '../components/overdue-trend/define.js';
import '../components/heatmap/define.js';
import type { Engine } from '../src/engine/engine-types.js';
import { engineLoader, look, usage } from './support.js';

const WATERMARK = '张三 zhang.san 2026-12-05 14:03';

/**
 * The sample engine behind a session that answers a watermark, as `finboard/server` does for a
 * principal (a remote engine's `engine.session()`); null is a policy with the watermark off.
 */
function withSession(engine: Engine, watermark: string | null): Engine {
  return {
    get placement() {
      return engine.placement;
    },
    load: (name, input, opts) => engine.load(name, input, opts),
    query: (req, opts) => engine.query(req, opts),
    datasetsInfo: () => engine.datasetsInfo(),
    unload: (name) => engine.unload(name),
    session: async () => ({ principal: { id: 'zhang.san', name: '张三', roles: ['collector'] }, watermark, operations: ['query', 'distinct', 'datasets'], detail: false, unmask: false }),
    dispose: () => {},
  };
}

const docs = `The watermark (全局水印): \`finboard/server\`'s policy gives each principal a text (name, id,
time); every element and \`<fin-dashboard>\` draw it over their views (a tiled, rotated, low-contrast SVG
text layer in shadow DOM: \`aria-hidden\`, \`pointer-events: none\`, out of reach of host CSS) and into
their PNG/SVG exports and a \`# 水印: …\` line of CSV exports. A \`null\` watermark (policy off) draws
nothing. Hosts without a remote engine set the \`watermark\` attribute; a server's watermark wins over it.
\`--fin-watermark-opacity\` is the one custom property it reads (clamped to [0.08, 0.5]).

${usage(`
<fin-dashboard></fin-dashboard>
<script type="module">
  import { createEngine } from 'finboard';
  const dash = document.querySelector('fin-dashboard');
  dash.engine = createEngine({ placement: 'remote', url: '/finboard' }); // the session's watermark is drawn
  dash.spec = spec;
</script>
<!-- without a server: -->
<fin-kpi-card watermark="内部资料 张三"></fin-kpi-card>`)}`;

const meta: Meta = {
  title: 'Security/Watermark',
  tags: ['autodocs'],
  loaders: [engineLoader],
  parameters: { docs: { description: { component: docs } } },
  args: { watermark: WATERMARK, off: false },
  argTypes: { off: { control: 'boolean', description: 'The policy turns the watermark off (session answers null)' } },
  render: (args, ctx: StoryContext) => {
    const { theme, locale } = look(ctx);
    const engine = withSession(ctx.loaded['engine'] as Engine, args['off'] ? null : String(args['watermark'] ?? ''));
    return html`<div style="display:grid;grid-template-columns:280px 1fr;gap:12px;max-width:1100px">
      <fin-kpi-card
        .engine=${engine}
        source="loan_months"
        heading="在贷余额"
        format="currency-compact"
        .params=${{ measure: { agg: 'sum', field: 'outstanding' }, stock: true, sparkline: { unit: 'month', points: 6 } }}
        theme=${theme}
        locale=${locale}
      ></fin-kpi-card>
      <fin-overdue-trend .engine=${engine} theme=${theme} locale=${locale}></fin-overdue-trend>
      <fin-heatmap style="grid-column:1 / span 2" .engine=${engine} preset="txn-weekday-hour" theme=${theme} locale=${locale}></fin-heatmap>
    </div>`;
  },
};
export default meta;
type Story = StoryObj;

/** The remote session's watermark over three elements. */
export const FromSession: Story = {};
/** The policy turned it off: nothing drawn, nothing exported. */
export const Off: Story = { args: { off: true } };
/** Hostile text is drawn as text. */
export const HostileText: Story = { args: { watermark: '<img src=x onerror=alert(1)> =HYPERLINK("x") "引号", 逗号' } };
