/**
 * Arrow IPC bytes → raw columns, zero-copy where the layout allows.
 *
 * flechette (the decoder Arquero uses) parses the messages; this module reads the column buffers
 * itself for the flat types canonical datasets use — float and int numbers, dates, timestamps,
 * booleans, utf8 text and utf8 dictionaries — so that:
 * - float64 buffers without nulls are viewed, not copied (ingestion adopts them read-only);
 * - dictionary keys are handed to ingestion as keys (it adopts or remaps them), and the dictionary
 *   entries are decoded in one TextDecoder call over the whole value buffer when it is ASCII
 *   (flechette decodes one string per entry, ≈ 20 ms for 123k loan ids);
 * - dates and timestamps are read as numbers (wall clock, see `isWallClock` in arquero.ts).
 * Anything else — compression, 64-bit integers (exact ids take the flechette path), nested or
 * decimal types, dictionary deltas or replacements, a big-endian schema — returns null, and the
 * caller uses flechette's table. Both paths give the same dataset (test/unit/data/arrow-ipc.test.ts).
 */
import { decodeIPC } from '@uwdata/flechette/src/decode/decode-ipc.js';
import type { ArrowDictionaryColumn, RawColumns } from './arquero.js';
import { markAdoptable, markDecoded } from './arquero.js';
import type { ColumnType } from './columns.js';

/** What `readArrowFast` found: raw columns as `columnsOfArquero` returns them. */
export type ArrowColumns = RawColumns;

// Arrow type ids (flechette's Type)
const DICTIONARY = -1;
const INT = 2;
const FLOAT = 3;
const UTF8 = 5;
const BOOL = 6;
const DATE = 8;
const TIMESTAMP = 10;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Milliseconds per TimeUnit (second, millisecond, microsecond, nanosecond). */
const MS_PER_UNIT = [1000, 1, 1e-3, 1e-6];

interface ArrowType {
  typeId: number;
  bitWidth?: number;
  signed?: boolean;
  precision?: number;
  unit?: number;
  timezone?: string | null;
  id?: number;
  dictionary?: ArrowType;
  indices?: ArrowType;
  children?: unknown[];
}

interface Batch {
  length: number;
  nodes: Array<{ length: number; nullCount: number }>;
  regions: Array<{ offset: number; length: number }>;
  compression?: unknown;
  body?: Uint8Array;
}

/** Unsupported layout: the caller falls back to flechette's table. */
class Unsupported extends Error {}

/** One column's buffers in one batch. */
interface Part {
  length: number;
  nullCount: number;
  validity: Uint8Array | null;
  buffers: Uint8Array[];
}

/** Typed view of `bytes` (a copy when the bytes are not aligned for the element size). */
function view<T>(
  Ctor: { new (b: ArrayBufferLike, o: number, n: number): T; BYTES_PER_ELEMENT: number },
  bytes: Uint8Array,
  count: number,
): T {
  const need = count * Ctor.BYTES_PER_ELEMENT;
  if (bytes.byteLength < need) throw new Unsupported('short buffer');
  const b = bytes.byteOffset % Ctor.BYTES_PER_ELEMENT === 0 ? bytes : bytes.slice(0, need);
  return new Ctor(b.buffer, b.byteOffset, count);
}

function valid(validity: Uint8Array | null, j: number): boolean {
  return validity === null || (validity[j >> 3]! & (1 << (j & 7))) !== 0;
}

/** How many buffers a field of this type has in a record batch (validity included). */
function bufferCount(t: ArrowType): number {
  switch (t.typeId) {
    case DICTIONARY:
    case INT:
    case FLOAT:
    case BOOL:
    case DATE:
    case TIMESTAMP:
      return 2;
    case UTF8:
      return 3;
    default:
      throw new Unsupported(`type ${t.typeId}`);
  }
}

/** Split a record batch into per-field parts (flat schemas: one node per field). */
function partsOf(batch: Batch, types: ArrowType[]): Part[] {
  if (batch.compression) throw new Unsupported('compressed');
  const body = batch.body ?? new Uint8Array(0);
  if (batch.nodes.length !== types.length) throw new Unsupported('nested');
  const parts: Part[] = [];
  let r = 0;
  for (let f = 0; f < types.length; f++) {
    const node = batch.nodes[f]!;
    const count = bufferCount(types[f]!);
    const buffers: Uint8Array[] = [];
    for (let k = 0; k < count; k++) {
      const reg = batch.regions[r++];
      if (!reg || reg.offset < 0 || reg.offset + reg.length > body.byteLength)
        throw new Unsupported('region');
      buffers.push(body.subarray(reg.offset, reg.offset + reg.length));
    }
    const v = buffers[0]!;
    parts.push({
      length: node.length,
      nullCount: node.nullCount,
      validity: node.nullCount > 0 && v.byteLength ? v : null,
      buffers: buffers.slice(1),
    });
  }
  return parts;
}

const decoder = new TextDecoder('utf-8');

/** Strings of a utf8 part (null where invalid): one decode of the whole buffer when ASCII. */
function strings(p: Part): Array<string | null> {
  const offsets = view(Int32Array, p.buffers[0]!, p.length + 1);
  const data = p.buffers[1]!;
  const lo = offsets[0]!;
  const hi = offsets[p.length]!;
  if (lo < 0 || hi > data.byteLength || lo > hi) throw new Unsupported('offsets');
  let ascii = true;
  for (let i = lo; i < hi; i++) {
    if (data[i]! > 0x7f) {
      ascii = false;
      break;
    }
  }
  const out = new Array<string | null>(p.length);
  if (ascii) {
    const text = decoder.decode(data.subarray(lo, hi));
    for (let j = 0; j < p.length; j++)
      out[j] = valid(p.validity, j) ? text.slice(offsets[j]! - lo, offsets[j + 1]! - lo) : null;
  } else {
    for (let j = 0; j < p.length; j++)
      out[j] = valid(p.validity, j) ? decoder.decode(data.subarray(offsets[j]!, offsets[j + 1]!)) : null;
  }
  return out;
}

/** Raw 64-bit integers as numbers (exact within ±2^53; beyond that the layout is unsupported). */
function int64Numbers(p: Part, out: Float64Array, off: number, scale: number): void {
  const words = view(Int32Array, p.buffers[0]!, p.length * 2);
  for (let j = 0; j < p.length; j++) {
    if (!valid(p.validity, j)) {
      out[off + j] = NaN;
      continue;
    }
    const lo = words[2 * j]!;
    const hi = words[2 * j + 1]!;
    if (hi > 0x1fffff || hi < -0x200000 || (hi === -0x200000 && lo === 0))
      throw new Unsupported('int64 range');
    const v = hi * 4294967296 + (lo >>> 0);
    out[off + j] = scale === 1 ? v : Math.floor(v * scale);
  }
}

/** A typed-array constructor of 8–32-bit integers. */
type IntArrayCtor = {
  new (b: ArrayBufferLike, o: number, n: number): ArrayLike<number>;
  BYTES_PER_ELEMENT: number;
};

function intCtor(t: ArrowType): IntArrayCtor {
  const s = t.signed !== false;
  switch (t.bitWidth) {
    case 8:
      return (s ? Int8Array : Uint8Array) as IntArrayCtor;
    case 16:
      return (s ? Int16Array : Uint16Array) as IntArrayCtor;
    case 32:
      return (s ? Int32Array : Uint32Array) as IntArrayCtor;
    default:
      throw new Unsupported('int width');
  }
}

/** Numbers of a numeric / date part into `out` (NaN where null); dates as epoch ms. */
function numbers(t: ArrowType, p: Part, out: Float64Array, off: number): void {
  const n = p.length;
  let src: ArrayLike<number>;
  if (t.typeId === FLOAT) {
    if (t.precision === 2) src = view(Float64Array, p.buffers[0]!, n);
    else if (t.precision === 1) src = view(Float32Array, p.buffers[0]!, n);
    else throw new Unsupported('float16');
  } else if (t.typeId === INT) src = view(intCtor(t), p.buffers[0]!, n);
  else if (t.typeId === DATE && t.unit === 0) {
    const days = view(Int32Array, p.buffers[0]!, n);
    for (let j = 0; j < n; j++) out[off + j] = valid(p.validity, j) ? days[j]! * 86400000 : NaN;
    return;
  } else if (t.typeId === DATE) return int64Numbers(p, out, off, 1);
  else if (t.typeId === TIMESTAMP) {
    const scale = MS_PER_UNIT[t.unit ?? -1];
    if (scale === undefined) throw new Unsupported('time unit');
    return int64Numbers(p, out, off, scale);
  } else throw new Unsupported('not numeric');
  if (p.validity === null) {
    if (src instanceof Float64Array) out.set(src, off);
    else for (let j = 0; j < n; j++) out[off + j] = src[j]!;
  } else for (let j = 0; j < n; j++) out[off + j] = valid(p.validity, j) ? src[j]! : NaN;
}

/**
 * Read Arrow IPC bytes into raw columns, or null when the data uses something this reader does
 * not (the caller then decodes with flechette, which also reports malformed data).
 */
export function readArrowFast(bytes: Uint8Array): ArrowColumns | null {
  if (!LITTLE_ENDIAN) return null;
  try {
    return read(bytes);
  } catch {
    return null;
  }
}

function read(bytes: Uint8Array): ArrowColumns {
  const data = decodeIPC(bytes) as unknown as {
    schema?: { endianness?: number; fields: Array<{ name: string; type: ArrowType }> };
    dictionaries: Array<{ id: number; data: Batch; isDelta: boolean; body?: Uint8Array }>;
    records: Batch[];
    dictsBeforeRecord?: number[];
  };
  const schema = data.schema;
  if (!schema || schema.endianness) throw new Unsupported('schema');
  const fields = schema.fields;
  const names = fields.map((f) => String(f.name));
  if (new Set(names).size !== names.length) throw new Unsupported('duplicate names');
  const types = fields.map((f) => f.type);
  for (const t of types) {
    if (t.children?.length) throw new Unsupported('nested');
    if (t.typeId === INT && t.bitWidth === 64) throw new Unsupported('int64');
    if (t.typeId === DICTIONARY && (t.dictionary?.typeId !== UTF8 || t.indices?.bitWidth === 64))
      throw new Unsupported('dictionary');
  }
  // one dictionary batch per id, before the first record batch (no deltas, no replacements)
  const dicts = new Map<number, Array<string | null>>();
  for (const d of data.dictionaries) {
    if (d.isDelta || dicts.has(d.id)) throw new Unsupported('dictionary batches');
    const batch: Batch = { ...d.data, body: d.body ?? d.data.body };
    const [part] = partsOf(batch, [{ typeId: UTF8 }]);
    dicts.set(d.id, strings(part!));
  }
  if (data.records.length && (data.dictsBeforeRecord?.[0] ?? 0) !== data.dictionaries.length)
    throw new Unsupported('late dictionary');
  const batches = data.records.map((b) => partsOf(b, types));
  let n = 0;
  for (const b of data.records) n += b.length;

  const columns = new Map<string, ArrayLike<unknown>>();
  const hints = new Map<string, ColumnType>();
  const dictionaries = new Map<string, ArrowDictionaryColumn>();
  const wallClock = new Set<string>();
  fields.forEach((f, c) => {
    const t = types[c]!;
    const name = names[c]!;
    const parts = batches.map((b) => b[c]!);
    if (t.typeId === DICTIONARY) {
      const entries = dicts.get(t.id ?? -1);
      if (!entries) throw new Unsupported('missing dictionary');
      const Keys = intCtor(t.indices ?? { typeId: INT, bitWidth: 32 });
      dictionaries.set(name, {
        length: n,
        type: { typeId: DICTIONARY },
        data: parts.map((p) => ({
          length: p.length,
          nullCount: p.nullCount,
          values: view(Keys, p.buffers[0]!, p.length),
          isValid: (j: number) => valid(p.validity, j),
          cache: entries,
        })),
        toArray: () => {
          const out: Array<string | null> = [];
          for (const p of parts) {
            const keys = view(Keys, p.buffers[0]!, p.length);
            for (let j = 0; j < p.length; j++)
              out.push(valid(p.validity, j) ? (entries[keys[j]!] ?? null) : null);
          }
          return out;
        },
      });
      return;
    }
    if (t.typeId === UTF8) {
      columns.set(name, parts.length === 1 ? strings(parts[0]!) : parts.flatMap(strings));
      return;
    }
    if (t.typeId === BOOL) {
      const out: Array<boolean | null> = [];
      for (const p of parts) {
        const bits = p.buffers[0]!;
        if (bits.byteLength * 8 < p.length) throw new Unsupported('short bitmap');
        for (let j = 0; j < p.length; j++)
          out.push(valid(p.validity, j) ? (bits[j >> 3]! & (1 << (j & 7))) !== 0 : null);
      }
      columns.set(name, out);
      hints.set(name, 'bool');
      return;
    }
    const only = parts.length === 1 ? parts[0]! : null;
    if (only && only.validity === null && t.typeId === FLOAT && t.precision === 2) {
      // zero-copy: a view of the bytes, adopted read-only by ingestion
      const values = view(Float64Array, only.buffers[0]!, n);
      markAdoptable(values);
      columns.set(name, values);
      return;
    }
    const out = new Float64Array(n);
    let off = 0;
    for (const p of parts) {
      numbers(t, p, out, off);
      off += p.length;
    }
    if (t.typeId === DATE || t.typeId === TIMESTAMP) {
      markDecoded(out);
      hints.set(name, 'date');
      if (t.typeId === DATE || !t.timezone) wallClock.add(name);
    } else markAdoptable(out);
    columns.set(name, out);
  });
  return { names, columns, n, hints, dictionaries, wallClock };
}
