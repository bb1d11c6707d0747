import type { SampleOptions } from '../data/sample.js';
import type { DataQualityReport, IngestInput } from '../data/ingest.js';
import { FinError } from './errors.js';
import type { LocalEngine } from './local.js';
import type { EngineCall } from './protocol.js';
import type { PrepareOptions } from './cube.js';
import type { QueryRequest } from './types.js';

/** Load every dataset of the seeded sample into an engine; returns the quality reports. */
export async function loadSampleInto(
  engine: { load(name: string, input: IngestInput): Promise<DataQualityReport> },
  opts: SampleOptions & { loanMonths?: number } = {},
): Promise<Record<string, DataQualityReport>> {
  // The generator is demo and test data, not part of the headless core: loaded on first use.
  // `loanMonths` sizes the sample by its loan_months rows; resolved here, where the engine runs, so a
  // page whose engine is a worker never loads the generator itself.
  const { generateSample, sampleOptionsForLoanMonths } = await import('../data/sample.js');
  const { loanMonths, ...rest } = opts;
  const data = generateSample(loanMonths ? { ...sampleOptionsForLoanMonths(loanMonths, rest.seed), ...rest } : rest);
  const out: Record<string, DataQualityReport> = {};
  for (const [name, columns] of Object.entries(data)) {
    out[name] = await engine.load(name, columns as IngestInput);
  }
  return out;
}

/**
 * Execute one protocol call against a local engine. Shared by the worker and the Node handler,
 * so both speak exactly the same protocol as the in-thread engine.
 */
export async function dispatch(engine: LocalEngine, call: EngineCall): Promise<unknown> {
  switch (call.op) {
    case 'load':
      return engine.load(call.name, call.input as IngestInput, (call.opts ?? {}) as never);
    case 'loadSample':
      return loadSampleInto(engine, (call.opts ?? {}) as SampleOptions);
    case 'query':
      // query, not querySync: lazily loaded metrics (mining) load their code first.
      return engine.query(call.req as QueryRequest);
    case 'distinct': {
      const d = (call.req ?? {}) as { source?: string; field?: unknown; order?: unknown; limit?: unknown; filters?: QueryRequest['filters'] };
      const params: Record<string, unknown> = { field: d.field };
      if (d.order !== undefined) params['order'] = d.order;
      if (d.limit !== undefined) params['limit'] = d.limit;
      return engine.querySync({ metric: 'distinct', params, filters: d.filters ?? [], ...(d.source ? { source: d.source } : {}) });
    }
    case 'prepare':
      return engine.prepare(call.opts as unknown as PrepareOptions);
    case 'session':
      // In a page or a worker there is no principal, hence no watermark.
      return { principal: null, watermark: null, operations: [], detail: true, unmask: false };
    case 'datasets':
      return engine.datasetsInfo();
    case 'unload':
      return engine.unload(call.name);
    default:
      throw new FinError('bad_params', `Unknown engine operation "${(call as { op?: string }).op}"`);
  }
}
