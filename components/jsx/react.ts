/**
 * `finboard/jsx-react` (types only): the Finboard tags in React's `JSX.IntrinsicElements`, for React
 * 19 (`react/jsx-runtime`, `react/jsx-dev-runtime` and the classic `React.JSX`), also valid with
 * @types/react 18.3. Opt in once, e.g. in a `.d.ts` of the app: `import type {} from 'finboard/jsx-react';`
 * — it is a separate entry so that apps without React never need its types.
 *
 * Typed as React 19 uses custom elements: props the element has are set as properties (`params`,
 * `data`, `engine`), events are `onfin-select`. React 18 sets every prop as a string attribute and
 * binds no custom event: in React 18 use the `finboard/react` components instead of the tags.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { FinProps, FinRawHandlers, FinTags } from './types.js';

/** Props of a Finboard tag in React JSX. */
export type FinReactProps<T extends keyof FinTags> = FinProps<FinTags[T]['element']> &
  FinRawHandlers<FinTags[T]['events']> &
  Omit<DetailedHTMLProps<HTMLAttributes<FinTags[T]['element']>, FinTags[T]['element']>, keyof FinProps<FinTags[T]['element']>> & {
    /** React 19 passes `class` through to custom elements. */
    class?: string;
  };

/** Every Finboard tag with its React props. */
export type FinIntrinsicElements = { [T in keyof FinTags]: FinReactProps<T> };

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface IntrinsicElements extends FinIntrinsicElements {}
  }
}
