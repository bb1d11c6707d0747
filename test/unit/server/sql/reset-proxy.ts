/**
 * A TCP proxy on a free 127.0.0.1 port in front of one server, for the ClickHouse recovery tests.
 * `restart()` stands for the server behind it being killed and started again while the client
 * still holds idle keep-alive connections it has not seen close (the FIN lost in a busy event
 * loop): connections opened before `restart()` stay open, and the next bytes a client sends on
 * one are answered with a TCP reset (what the restarted server's kernel does to a connection it
 * no longer knows), never forwarded. Connections opened after it are proxied normally.
 */
import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export interface ResetProxy {
  /** `http://127.0.0.1:<port>` of the proxy. */
  url: string;
  /** Connections opened so far (both generations). */
  readonly connections: number;
  /** Client sends reset since the last `restart()`. */
  readonly resets: number;
  /** Every connection opened before now is reset on its next client bytes. */
  restart(): void;
  close(): Promise<void>;
}

export async function resetProxy(target: string): Promise<ResetProxy> {
  const { hostname, port } = new URL(target);
  let generation = 0;
  let connections = 0;
  let resets = 0;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const born = generation;
    connections++;
    const upstream = connect(Number(port), hostname);
    open.add(client);
    open.add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('data', (chunk: Buffer) => {
      if (born !== generation) {
        resets++;
        upstream.destroy();
        client.resetAndDestroy();
        open.delete(client);
        open.delete(upstream);
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('end', drop);
    upstream.on('end', drop);
    client.on('error', drop);
    upstream.on('error', drop);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get connections() {
      return connections;
    },
    get resets() {
      return resets;
    },
    restart() {
      generation++;
      resets = 0;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of open) s.destroy();
        server.close(() => r());
      }),
  };
}
