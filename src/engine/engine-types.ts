import type { DataQualityReport, IngestInput, IngestOptions } from '../data/ingest.js';
import type { PrepareInfo, PrepareOptions } from './cube.js';
import type { MetricResult, QueryRequest } from './types.js';

export type { PrepareInfo, PrepareOptions };

export type { IngestInput };

/** Options for `engine.load`: field mapping, time zone, masking. */
export type LoadOptions = IngestOptions;

export interface QueryOptions {
  /** Abort a pending query; the promise rejects with FinError('aborted'). */
  signal?: AbortSignal;
}

export interface DatasetInfo {
  name: string;
  rows: number;
  columns: string[];
  masked: boolean;
  report: DataQualityReport;
}

/** The caller as a server sees it (`engine.session()` on a remote engine). */
export interface SessionInfo {
  /** Null where there is no server-side identity (in a page or worker, or a server without policy). */
  principal: { id: string; name?: string; roles: string[] } | null;
  /** The text elements draw over views and exports (全局水印); null when off. */
  watermark: string | null;
  /** Operations the caller may call. */
  operations: string[];
  /** Whether detail lists and unmasked PII are permitted. */
  detail: boolean;
  unmask: boolean;
}

/**
 * The engine protocol. Requests and results are JSON; three placements implement it:
 * in-thread (`LocalEngine`), a Web Worker (`WorkerEngine`) and remote over HTTP (`RemoteEngine`).
 */
export interface Engine {
  readonly placement: 'thread' | 'worker' | 'remote';
  load(name: string, input: IngestInput, opts?: LoadOptions): Promise<DataQualityReport>;
  query(req: QueryRequest, opts?: QueryOptions): Promise<MetricResult>;
  datasetsInfo(): Promise<DatasetInfo[]>;
  unload(name: string): Promise<void>;
  /**
   * Optional: build the cross-filter cube for a dashboard's requests over its filter dimensions,
   * once per load, so that selections pinning those dimensions are answered by look-up.
   */
  prepare?(opts: PrepareOptions): Promise<PrepareInfo>;
  /** Optional: who the server says the caller is, with the watermark text (remote and worker). */
  session?(): Promise<SessionInfo>;
  dispose(): void;
}
