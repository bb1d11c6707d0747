/**
 * React 18 binds no custom events and passes every JSX prop to a custom element as an attribute,
 * so this app uses `finboard/react`: @lit/react wrappers that set properties (engine, params, spec)
 * and map events to `onFinSelect`-style props. App.tsx uses them under the elements' names.
 */
export { FinKpiCardReact as FinKpiCard, FinDashboardReact as FinDashboard } from 'finboard/react';
