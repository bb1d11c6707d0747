import type { ReactiveControllerHost } from 'lit';
import { msg } from '../../src/format/messages.js';
import { FUND_FLOW_AREA } from '../../src/format/messages/fund-flow.js';
import type { Locale } from '../../src/format/number.js';
import type { TrendColors } from '../../src/specs/fund-flow.js';

/** The element a view draws into: it re-renders on request and owns the shadow root. */
export interface FundFlowHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/**
 * What every view reads from `<fin-fund-flow>`, passed as functions so that the element's own
 * members stay private and the view always sees their current values.
 */
export interface ViewContext {
  lang(): Locale;
  /** Theme colours of the element (net inflow / outflow by its colour convention). */
  colors(): TrendColors;
  /** Chart width in px. */
  width(): number;
  /** A resolved CSS custom property of the element, or the fallback. */
  token(name: string, fallback: string): string;
}

/**
 * Base of the interactive views of `<fin-fund-flow>` (sankey, alerts table): the host, its
 * context, localised messages, and view state that re-renders the host when it changes.
 */
export class FundFlowView {
  constructor(
    protected readonly host: FundFlowHost,
    protected readonly ctx: ViewContext,
  ) {}

  protected get lang_(): Locale {
    return this.ctx.lang();
  }

  protected get renderRoot(): HTMLElement | DocumentFragment {
    return this.host.renderRoot;
  }

  protected m(key: string, vars?: Record<string, string | number>): string {
    return msg(this.lang_, key, vars, FUND_FLOW_AREA);
  }

  protected colors(): TrendColors {
    return this.ctx.colors();
  }

  protected width(): number {
    return this.ctx.width();
  }
}
