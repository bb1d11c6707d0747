/**
 * JSX types for the Finboard tags this app writes (React 18: attributes and a ref). finboard does
 * not ship JSX typings yet; when it does (or with `finboard/react`), delete this file.
 */
import type { HTMLAttributes, DetailedHTMLProps } from 'react';
import type { FinKpiCard } from 'finboard/components/kpi-card';
import type { FinHeatmap } from 'finboard/components/heatmap';
import type { FinDashboard } from 'finboard/components/dashboard';

type Tag<E extends HTMLElement> = DetailedHTMLProps<HTMLAttributes<E>, E> & Record<string, unknown>;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'fin-kpi-card': Tag<FinKpiCard>;
      'fin-heatmap': Tag<FinHeatmap>;
      'fin-dashboard': Tag<FinDashboard>;
    }
  }
}
