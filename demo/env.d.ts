// react-dom ships no types and @types/react-dom is not a dependency: the demo only calls createRoot().render().
declare module 'react-dom/client' {
  export function createRoot(el: Element): { render(node: unknown): void; unmount(): void };
}

/** Set by vite.demo.config.ts (the production build): pre-generated sample files, size → dataset → URL. */
declare const __FINBOARD_SAMPLE__: Record<string, Record<string, string>> | undefined;
