import { createContext } from '@lit/context';
import type { Engine } from '../../src/engine/engine-types.js';
import type { FilterClause } from '../../src/engine/types.js';
import type { Locale } from '../../src/format/number.js';

/** What a dashboard shares with its widgets. */
export interface FinDashboardContext {
  engine: Engine | null;
  locale: Locale;
  theme: 'light' | 'dark';
  /** Increments whenever filters or selections change, so widgets know to re-query. */
  version: number;
  /** Filters for one widget: global filters plus every other widget's selection (crossfilter). */
  filtersFor(widgetId: string): FilterClause[];
  /** Whether the engine has its data (widgets wait in the loading state until then). */
  ready: boolean;
  /** An error every widget should show (e.g. data failed to load). */
  error: { code: string; message: string } | null;
  /**
   * The watermark text (全局水印) the engine's server gives the caller, drawn by every widget over
   * its view and into its exports; null (or absent) when there is none.
   */
  watermark?: string | null;
}

export const finContext = createContext<FinDashboardContext | undefined>(Symbol('fin-dashboard'));
