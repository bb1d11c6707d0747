import type { StorybookConfig } from '@storybook/web-components-vite';

const config: StorybookConfig = {
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true },
  async viteFinal(cfg) {
    // One copy of Lit (SETUP.md): pre-bundle it with the rest.
    cfg.optimizeDeps = { ...(cfg.optimizeDeps ?? {}), include: [...(cfg.optimizeDeps?.include ?? []), 'lit', 'lit/decorators.js', 'lit/directive-helpers.js'] };
    // The library build config (lib entries) must not leak into Storybook's app build.
    if (cfg.build) delete (cfg.build as { lib?: unknown }).lib;
    return cfg;
  },
};
export default config;
