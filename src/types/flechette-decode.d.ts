/** flechette's IPC message parser (its own table builder is `tableFromIPC`); see src/data/arrow-ipc.ts. */
declare module '@uwdata/flechette/src/decode/decode-ipc.js' {
  export function decodeIPC(data: ArrayBufferLike | Uint8Array | Uint8Array[]): unknown;
}
