// Every browser entry of the package resolves with its types under strict, skipLibCheck: false.
// Left out: finboard/server (a Node entry: its types need @types/node) and finboard/arquero (it
// returns Arquero tables, and arquero 8.0.3's and flechette 2.6's own .d.ts fail strict checking:
// TS2370/TS1047 in arquero's ColumnTable.d.ts, TS7008 in flechette's table.d.ts).
import type * as Core from 'finboard';
import type * as Sample from 'finboard/sample';
import type * as Worker from 'finboard/worker';
import type * as Components from 'finboard/components';
import type * as Dashboards from 'finboard/dashboards';
import type * as KpiCard from 'finboard/components/kpi-card';
import type * as Funnel from 'finboard/components/funnel';
import type * as Heatmap from 'finboard/components/heatmap';
import type * as Cohort from 'finboard/components/cohort';
import type * as Rfm from 'finboard/components/rfm';
import type * as OverdueTrend from 'finboard/components/overdue-trend';
import type * as FundFlow from 'finboard/components/fund-flow';
import type * as Table from 'finboard/components/table';
import type * as Dashboard from 'finboard/components/dashboard';

export type Entries = [
  typeof Core,
  typeof Sample,
  typeof Worker,
  typeof Components,
  typeof Dashboards,
  typeof KpiCard,
  typeof Funnel,
  typeof Heatmap,
  typeof Cohort,
  typeof Rfm,
  typeof OverdueTrend,
  typeof FundFlow,
  typeof Table,
  typeof Dashboard,
];
