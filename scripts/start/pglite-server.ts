import { mkdirSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Service } from './infrastructure.js';
import { LaunchError, messageOf } from './launch-error.js';
import { PgliteEngine } from './pglite-engine.js';
import { PgliteSession } from './pglite-session.js';
import type { LaunchSettings } from './settings.js';

/**
 * Where no PostgreSQL is installed: PGlite (PostgreSQL compiled to WASM), in
 * this process, served over the wire protocol. It holds one database, so each
 * app's database name becomes a schema of its own.
 */
export async function startEmbeddedPostgres(
  settings: LaunchSettings,
  url: string,
): Promise<Service> {
  const dataDir = join(settings.dataDir, 'pglite');
  mkdirSync(dataDir, { recursive: true });
  let db: PGlite;
  try {
    db = await PGlite.create(dataDir);
  } catch (error) {
    throw new LaunchError(
      `embedded PostgreSQL (PGlite) could not open ${dataDir}: ${messageOf(error)}`,
    );
  }
  const engine = new PgliteEngine(db);
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    new PgliteSession(socket, engine, `c${connections}_`);
  });
  try {
    await listen(server, settings.postgresPort);
  } catch (error) {
    await db.close();
    throw new LaunchError(
      `embedded PostgreSQL cannot listen on port ${settings.postgresPort} (${messageOf(error)}): set START_POSTGRES_PORT`,
    );
  }
  return {
    url,
    origin: 'started',
    detail: `embedded PGlite (no PostgreSQL installed), data in ${dataDir}`,
    stop: async () => {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
      await engine.close();
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}
