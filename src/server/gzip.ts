/**
 * gzip of a reply whose big middle part was compressed once. A shared answer is deflated when it
 * is computed; each reply wraps it in its own envelope (`{"id":7,"ok":true,"value":` … `}`) as a
 * gzip member made of a stored (uncompressed) deflate block for the prefix, the answer's own
 * deflate blocks (compressed from an empty window and sync-flushed, so they reference nothing
 * before them and end on a byte boundary, not final), and a final stored block for the suffix.
 * Only the CRC-32 of the whole text is computed per reply. RFC 1951 §3.2.3–3.2.4, RFC 1952.
 */
import zlib from 'node:zlib';

type Crc32 = (data: Uint8Array, value?: number) => number;
/** Node ≥ 20.15 / 22.2; without it replies are sent uncompressed. */
const crc32 = (zlib as unknown as { crc32?: Crc32 }).crc32;

/** Whether gzip replies can be built on this Node. */
export const GZIP_AVAILABLE = typeof crc32 === 'function';

/** Raw deflate blocks of `body`, none final, ending byte-aligned (sync flush). */
export function deflateBody(body: Buffer): Buffer {
  return zlib.deflateRawSync(body, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
}

const HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

/** One stored deflate block (`data` ≤ 65 535 bytes) starting on a byte boundary. */
function stored(data: Buffer, final: boolean): Buffer {
  const n = data.length;
  const head = Buffer.from([final ? 1 : 0, n & 0xff, n >> 8, ~n & 0xff, (~n >> 8) & 0xff]);
  return Buffer.concat([head, data]);
}

/** A piece of a reply: short bytes sent as they are, or a body with its stored deflate blocks. */
export type Segment = Buffer | { body: Buffer; deflated: Buffer };

const EMPTY = Buffer.alloc(0);

/**
 * A gzip member written as it goes (a batch's replies as each call ends): `start` first, then
 * `add(segments)` for each part — plain segments as stored blocks (65 535 bytes each at most),
 * deflated bodies as their own blocks — then `end()`: a final empty stored block and the trailer
 * (CRC-32 and length of the whole text).
 */
export function gzipWriter(): { start: Buffer; add(segments: Segment[]): Buffer[]; end(): Buffer } {
  if (!crc32) throw new Error('zlib.crc32 is not available');
  const crcOf = crc32;
  let crc = 0;
  let length = 0;
  return {
    start: HEADER,
    add(segments) {
      const out: Buffer[] = [];
      for (const s of segments) {
        const text = Buffer.isBuffer(s) ? s : s.body;
        if (Buffer.isBuffer(s))
          for (let i = 0; i < s.length; i += 0xffff) out.push(stored(s.subarray(i, i + 0xffff), false));
        else out.push(s.deflated);
        crc = crcOf(text, crc);
        length += text.length;
      }
      return out;
    },
    end() {
      const trailer = Buffer.alloc(8);
      trailer.writeUInt32LE(crc >>> 0, 0);
      trailer.writeUInt32LE(length % 2 ** 32, 4);
      return Buffer.concat([stored(EMPTY, true), trailer]);
    },
  };
}

/** The gzip member of the segments' bytes in order, as pieces to write in order. */
export function gzipSegments(segments: Segment[]): Buffer[] {
  const w = gzipWriter();
  return [w.start, ...w.add(segments), w.end()];
}

/**
 * The gzip member of `prefix + body + suffix`, given `deflated` = deflateBody(body). `prefix` and
 * `suffix` are short (an envelope), at most 65 535 bytes each.
 */
export function gzipAround(prefix: Buffer, body: Buffer, deflated: Buffer, suffix: Buffer): Buffer[] {
  if (prefix.length > 0xffff || suffix.length > 0xffff) throw new RangeError('envelope too long');
  return gzipSegments([prefix, { body, deflated }, suffix]);
}

/**
 * Whether an `accept-encoding` header accepts gzip: a `gzip` token without `q=0`, or, when gzip
 * is not named, a `*` token without `q=0`.
 */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (!header) return false;
  const text = Array.isArray(header) ? header.join(',') : header;
  let star = false;
  for (const part of text.split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const ok = !q || Number(q.slice(2)) > 0;
    if (name === 'gzip') return ok;
    if (name === '*') star = ok;
  }
  return star;
}
