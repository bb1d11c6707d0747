/**
 * JSX types for the Finboard tags this app writes. React 19 sets a custom element's properties
 * from props and binds `on<event>` props as listeners, so the props are the elements' own
 * properties plus `onfin-select`. finboard does not ship JSX typings yet; when it does (or with
 * `finboard/react`), delete this file.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { FinSelectEvent } from 'finboard/components';
import type { FinKpiCard } from 'finboard/components/kpi-card';
import type { FinHeatmap } from 'finboard/components/heatmap';
import type { FinDashboard } from 'finboard/components/dashboard';
import type { PortalBanner } from './portal-banner';

type Tag<E extends HTMLElement> = DetailedHTMLProps<HTMLAttributes<E>, E> &
  Partial<Omit<E, keyof HTMLElement>> & { 'onfin-select'?: (e: FinSelectEvent) => void };

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'fin-kpi-card': Tag<FinKpiCard>;
      'fin-heatmap': Tag<FinHeatmap>;
      'fin-dashboard': Tag<FinDashboard>;
      'portal-banner': Tag<PortalBanner>;
    }
  }
}
