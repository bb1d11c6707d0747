import type { Preview } from '@storybook/web-components-vite';
import { setCustomElementsManifest } from '@storybook/web-components-vite';
import manifest from '../custom-elements.json';

interface CemItem {
  name?: string;
  kind?: string;
  privacy?: string;
  static?: boolean;
  attribute?: string;
  fieldName?: string;
  description?: string;
}
interface CemDeclaration {
  tagName?: string;
  members?: CemItem[];
  attributes?: CemItem[];
  events?: CemItem[];
}

/**
 * The manifest as the API tables should show it (custom-elements.json itself is untouched):
 * - public API only: private / protected / static members and `name_` internals are dropped (the
 *   analyzer lists them all);
 * - one row per property: an attribute that reflects a property is folded into the property's row
 *   ("Attribute: `value-format`") instead of a second, differently named row whose control would
 *   not drive the story;
 * - events named `fin-*` only (the analyzer also picks up `new FinSelectEvent(detail)` arguments).
 */
function apiManifest(m: typeof manifest): typeof manifest {
  const copy = structuredClone(m) as unknown as { modules?: Array<{ declarations?: CemDeclaration[] }> };
  for (const mod of copy.modules ?? []) {
    for (const d of mod.declarations ?? []) {
      if (!d.tagName) continue;
      const attrOf = new Map((d.attributes ?? []).filter((a) => a.fieldName).map((a) => [a.fieldName!, a.name!]));
      d.members = (d.members ?? [])
        .filter((x) => !x.privacy && !x.static && !x.name?.endsWith('_'))
        .map((x) => {
          const attr = x.attribute ?? attrOf.get(x.name ?? '');
          return attr ? { ...x, description: `${x.description ?? ''}${x.description ? '\n\n' : ''}Attribute: \`${attr}\`.` } : x;
        });
      d.attributes = (d.attributes ?? []).filter((a) => !a.fieldName);
      d.events = (d.events ?? []).filter((e) => e.name?.startsWith('fin-'));
    }
  }
  return copy as unknown as typeof manifest;
}

setCustomElementsManifest(apiManifest(manifest));

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
    controls: { expanded: true, sort: 'requiredFirst' },
    a11y: { test: 'error' },
    layout: 'padded',
  },
  argTypes: {
    // Set from the toolbar (Theme / Locale globals) in every story, not per story.
    theme: { control: false },
    locale: { control: false },
    // Objects a story supplies itself (engine from the sample loader, hand-made results).
    engine: { control: false },
    data: { control: false },
    fields: { control: false },
    filters: { control: false },
    // Read-only getters.
    renderState: { control: false },
    currentResult: { control: false },
  },
};
export default preview;
