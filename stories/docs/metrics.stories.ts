import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { defineStoryMetrics } from './metrics-basis.js';

defineStoryMetrics();

/** The basis (口径) of every metric, computed on the seeded sample (rendered by the "Metrics" docs page). */
const meta: Meta = {
  title: 'Docs/Metrics',
  tags: ['!autodocs'],
  parameters: { layout: 'padded', a11y: { test: 'error' } },
  decorators: [(story) => html`<div style="background:#fff;padding:12px;border-radius:8px">${story()}</div>`],
};
export default meta;
type Story = StoryObj;

/** Every metric of the engine. */
export const AllMetrics: Story = { render: () => html`<fin-story-metrics></fin-story-metrics>` };
/** The collection (催收) metrics only. */
export const CollectionMetrics: Story = {
  render: () => html`<fin-story-metrics only="dpd_buckets,bucket_trend,overdue_rate,flow_rate,roll_rate,vintage,entry_rate,cure_rate,repayment_rate,collector_performance,channel_effectiveness"></fin-story-metrics>`,
};
