// The README's "In your own Node server" line, typed as a platform team writes it (strict, no
// DOM lib, skipLibCheck false): finboard/server's declarations must stand on Node's types alone.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createHandler, duckdbBackend, policyFromJSON } from 'finboard/server';
import type { AuditEvent, Backend } from 'finboard/server';

const events: AuditEvent[] = [];
const backend: Backend = await duckdbBackend({ path: 'warehouse.duckdb' });
const policy = policyFromJSON(JSON.parse(readFileSync('policy.json', 'utf8')));
const server = http.createServer(
  createHandler({
    backend,
    policy,
    limits: { rows: 5000, timeoutMs: 30_000 },
    audit: (e: AuditEvent) => {
      events.push(e);
    },
  }),
);
server.listen(8787, '127.0.0.1');
