import type { Preview } from '@storybook/web-components-vite';
import { setCustomElementsManifest } from '@storybook/web-components-vite';
import manifest from '../custom-elements.json';

setCustomElementsManifest(manifest);

const preview: Preview = {
  globalTypes: {
    locale: {
      description: 'Locale of every element',
      toolbar: { title: 'Locale', icon: 'globe', items: [{ value: 'zh-CN', title: '中文' }, { value: 'en-US', title: 'English' }], dynamicTitle: true },
    },
    theme: {
      description: 'Theme of every element',
      toolbar: { title: 'Theme', icon: 'contrast', items: [{ value: 'light', title: 'Light' }, { value: 'dark', title: 'Dark' }], dynamicTitle: true },
    },
  },
  initialGlobals: { locale: 'zh-CN', theme: 'light' },
  decorators: [
    (story, context) => {
      const locale = context.globals['locale'] ?? 'zh-CN';
      const theme = context.globals['theme'] ?? 'light';
      document.documentElement.lang = locale;
      document.body.style.background = theme === 'dark' ? '#0b1220' : '#eef1f5';
      document.body.dataset['finTheme'] = theme;
      return story();
    },
  ],
  parameters: {
    controls: { expanded: true },
    a11y: { test: 'error' },
    layout: 'padded',
  },
};
export default preview;
