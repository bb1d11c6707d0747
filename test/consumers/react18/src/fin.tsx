/**
 * React 18 wrappers of the Finboard elements this app uses. React 18 passes every JSX prop to a
 * custom element as an attribute and binds no custom events, so object properties (engine, params,
 * spec) are set and events listened to through a ref.
 *
 * When `finboard/react` ships (@lit/react wrappers: properties and `onFinSelect`-style events),
 * this whole file becomes:
 *   export { FinKpiCard, FinDashboard } from 'finboard/react';
 * and App.tsx stays as it is (the prop names here are the wrappers' names).
 */
import { useEffect, useRef } from 'react';
import type { FinEngine } from 'finboard';
import 'finboard/components'; // every element: the dashboard draws its widgets with them
import type { FinKpiCard as FinKpiCardElement } from 'finboard/components/kpi-card';
import type { FinDashboard as FinDashboardElement } from 'finboard/components/dashboard';
import type { DashboardSpec } from 'finboard/dashboards';

export interface FinKpiCardProps {
  engine: FinEngine;
  params: Record<string, unknown>;
  heading: string;
  format?: string;
  direction?: string;
  locale: string;
}

export function FinKpiCard({ engine, params, ...attributes }: FinKpiCardProps) {
  const ref = useRef<FinKpiCardElement>(null);
  useEffect(() => {
    ref.current!.engine = engine;
    ref.current!.params = params;
  }, [engine, params]);
  return <fin-kpi-card ref={ref} {...attributes} />;
}

export interface FinDashboardProps {
  spec: DashboardSpec;
  locale: string;
}

export function FinDashboard({ spec, locale }: FinDashboardProps) {
  const ref = useRef<FinDashboardElement>(null);
  useEffect(() => {
    ref.current!.spec = spec;
  }, [spec]);
  return <fin-dashboard ref={ref} locale={locale} />;
}
