/** Reader for Arrow IPC bytes: flat layouts directly (arrow-ipc.ts), others through flechette. */
import { tableFromIPC } from '@uwdata/flechette';
import { FinError } from '../../engine/errors.js';
import type { ArqueroLike } from '../arquero.js';
import { readArrowFast } from '../arrow-ipc.js';
import type { RawTable } from '../raw.js';
import { rawOfColumns, readArquero } from './arquero.js';

export function readArrow(bytes: Uint8Array): RawTable {
  // Flat layouts (every canonical dataset): buffers read directly, zero-copy where possible.
  const fast = readArrowFast(bytes);
  if (fast) return rawOfColumns(fast);
  let t: ArqueroLike;
  try {
    // Int64 stays BigInt (exact ids); dates come as epoch-ms numbers (no Date objects).
    // flechette is the Arrow decoder Arquero itself uses; read it directly (zero-copy columns).
    const ft = tableFromIPC(bytes, { useBigInt: true, useDate: false });
    t = {
      columnNames: () => ft.names,
      numRows: () => ft.numRows,
      column: (name: string) => ft.getChild(name),
      array: (name: string) => ft.getChild(name).toArray(),
    } as unknown as ArqueroLike;
  } catch (e) {
    throw new FinError('bad_input', `Invalid Arrow IPC data: ${e instanceof Error ? e.message : String(e)}`);
  }
  return readArquero(t, true);
}
