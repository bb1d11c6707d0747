import type { MetricResult } from '../../src/engine/types.js';
import type { Locale } from '../../src/format/number.js';
import { alertsModel, sankeyModel, trendModel } from '../../src/specs/fund-flow.js';
import type { AlertsModel, FundFlowDisplay, SankeyModel, TrendModel } from '../../src/specs/fund-flow.js';

/** The view model of the display in effect. */
export type FundFlowModel =
  | { display: 'sankey'; m: SankeyModel }
  | { display: 'trend'; m: TrendModel }
  | { display: 'alerts'; m: AlertsModel };

/** Build the view model of a display from its metric result. */
export function fundFlowModel(r: MetricResult, display: FundFlowDisplay, L: Locale): FundFlowModel {
  return display === 'trend'
    ? { display, m: trendModel(r, L) }
    : display === 'alerts'
      ? { display, m: alertsModel(r, L) }
      : { display: 'sankey', m: sankeyModel(r, L) };
}
