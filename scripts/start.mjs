#!/usr/bin/env node
// `npm start`: serve the demo portal (demo/) on the embedded sample data with Vite's dev server.
import { createServer } from 'vite';

const port = Number(process.env.PORT || 5173);
const server = await createServer({ server: { port, host: process.env.HOST || 'localhost', strictPort: false } });
await server.listen();
const addr = server.httpServer.address();
const url = `http://localhost:${typeof addr === 'object' && addr ? addr.port : port}/demo/`;
console.log(`\n  Finboard demo: ${url}\n  (collection, retention and fund-flow dashboards on the seeded sample data; Ctrl+C to stop)\n`);
