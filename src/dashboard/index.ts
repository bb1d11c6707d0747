/**
 * `finboard/dashboards`: the dashboard spec (types, validation, date presets) and the
 * ready-made dashboards. A separate entry so pages that only use single elements and the engine
 * do not carry them.
 */
export * from './spec.js';
export { collectionDashboard, retentionDashboard, fundFlowDashboard, DASHBOARDS } from './presets.js';
// mining-cluster
export { highValueDashboard } from './presets.js';
// mining: model monitoring
export { modelMonitoringDashboard } from './presets.js';
export { dashboardDimensions, prepareSettings, widgetSelectionFields, MAX_AUTO_VALUES } from './prepare.js';
export type { PrepareSettings } from './prepare.js';
export { migrateSpec, MIGRATIONS, SPEC_VERSION } from './migrate.js';
export type { MigrationResult } from './migrate.js';
export { autoPlace, firstFree, layoutProblems, overlaps, placeItem, readingOrder, GRID_COLUMNS } from './grid.js';
export type { GridItem, GridRect } from './grid.js';
