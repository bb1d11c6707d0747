/**
 * The load report of a dashboard (issue 13 #5): datasets that rejected rows at ingestion, named in
 * the header with the engine's localised `rows_rejected` warning (else the plain counts).
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { DataQualityReport } from '../../src/data/quality.js';
import type { DatasetInfo } from '../../src/engine/engine-types.js';
import type { Locale } from '../../src/format/number.js';

/** The reports of the loaded datasets that rejected rows. */
export function rejectingReports(infos: readonly DatasetInfo[]): DataQualityReport[] {
  return infos.map((d) => d.report).filter((r) => r && r.rowsRejected > 0);
}

/** The header note listing them (nothing when every row was kept). */
export function renderLoadReport(reports: readonly DataQualityReport[], locale: Locale): TemplateResult | typeof nothing {
  if (!reports.length) return nothing;
  return html`<div part="load-report" class="load-report" role="note">
    ${reports.map((r) => {
      const w = r.warnings.find((x) => x.code === 'rows_rejected');
      return html`<div>
        <strong>${r.dataset}</strong>:
        ${w ? w.message[locale] : `${r.rowsRejected} / ${r.rowsRead}`}
      </div>`;
    })}
  </div>`;
}
