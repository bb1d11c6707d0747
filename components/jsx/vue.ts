/**
 * `finboard/jsx-vue` (types only): the Finboard tags in Vue's `GlobalComponents`, so that vue-tsc
 * (Volar) checks `<fin-heatmap :params="…" @fin-select="…">` in templates. Opt in once, e.g. in
 * `env.d.ts`: `import type {} from 'finboard/jsx-vue';` — a separate entry so that apps without Vue
 * never need its types.
 *
 * Vue sets a binding as a property when the custom element has it (`params`, `data`, `engine`);
 * tell Vue the tags are custom elements (`compilerOptions.isCustomElement: (t) => t.startsWith('fin-')`).
 * `@fin-select` is checked as the `onFinSelect` prop.
 */
import type { DefineComponent } from 'vue';
import type { FinCamelHandlers, FinProps, FinTags } from './types.js';

/** Props (and event handlers) of a Finboard tag in a Vue template. */
export type FinVueProps<T extends keyof FinTags> = FinProps<FinTags[T]['element']> & FinCamelHandlers<FinTags[T]['events']>;

/** Every Finboard tag as a Vue component type. */
export type FinGlobalComponents = { [T in keyof FinTags]: DefineComponent<FinVueProps<T>> };

declare module 'vue' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalComponents extends FinGlobalComponents {}
}
