/**
 * A DuckDB database file opened directly (not through a backend), for tests that read what a
 * closed backend stored or run compiled SQL on it.
 */
import type { SqlValue } from '../../../../src/server/sql/sql.js';

export interface DuckFile {
  run(text: string, params?: SqlValue[]): Promise<Array<Record<string, unknown>>>;
  close(): void;
}

export async function openDuckFile(path: string): Promise<DuckFile> {
  const mod = (await import('@duckdb/node-api')) as unknown as {
    DuckDBInstance: {
      create(p: string): Promise<{
        connect(): Promise<{
          runAndReadAll(
            s: string,
            p?: SqlValue[],
          ): Promise<{ getRowObjectsJS(): Array<Record<string, unknown>> }>;
          closeSync(): void;
        }>;
        closeSync(): void;
      }>;
    };
  };
  const inst = await mod.DuckDBInstance.create(path);
  const conn = await inst.connect();
  return {
    run: async (text, params) => (await conn.runAndReadAll(text, params)).getRowObjectsJS(),
    close: () => {
      conn.closeSync();
      inst.closeSync();
    },
  };
}
