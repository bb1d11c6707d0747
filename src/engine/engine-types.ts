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
  dispose(): void;
}
