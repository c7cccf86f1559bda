import { createServer } from 'node:net';
import { connect, errors } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { connectionOptions, withoutCredentials, type NatsConnectionSettings } from '@app/messaging';
import pg from 'pg';

/** NATS or PostgreSQL cannot be used: reported as one line that says what to start. */
export class InfrastructureUnavailable extends Error {}

const CONNECT_TIMEOUT_MS = 5_000;

/** Fails with a readable line when NATS is down or runs without JetStream. */
export async function checkNats(settings: NatsConnectionSettings, app: string): Promise<void> {
  const url = withoutCredentials(settings.url);
  let connection;
  try {
    connection = await connect({
      ...connectionOptions(settings, app),
      timeout: CONNECT_TIMEOUT_MS,
    });
  } catch (error) {
    if (error instanceof errors.AuthorizationError) {
      throw new InfrastructureUnavailable(
        settings.user
          ? `NATS at ${url} refused user "${settings.user}": check NATS_USER and NATS_PASSWORD`
          : `NATS at ${url} requires a user: set NATS_USER and NATS_PASSWORD`,
      );
    }
    throw new InfrastructureUnavailable(
      `cannot reach NATS at ${url}: start NATS with JetStream (nats-server -js) or set NATS_URL`,
    );
  }
  try {
    await (await jetstreamManager(connection)).getAccountInfo();
  } catch {
    throw new InfrastructureUnavailable(
      `NATS at ${url} has no JetStream: restart it with JetStream on (nats-server -js)`,
    );
  } finally {
    await connection.close();
  }
}

/** The setting that moves a port: the public one, or the operator's. */
export type PortSetting = 'PORT' | 'ADMIN_PORT';

/**
 * Fails with a readable line when a port the app listens on is taken, before
 * anything starts: no migration runs and no consumer takes a message.
 */
export function checkPort(
  port: number,
  { host, setting = 'PORT' }: { host?: string; setting?: PortSetting } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(portProblem(port, error, setting)),
    );
    server.listen({ port, host }, () => server.close(() => resolve()));
  });
}

/** Why the app cannot listen on `port`, as one line; other errors as they are. */
export function portProblem(
  port: number,
  error: NodeJS.ErrnoException,
  setting: PortSetting = 'PORT',
): Error {
  if (error.code === 'EADDRINUSE') {
    return new InfrastructureUnavailable(
      `port ${port} is already in use: stop what listens there or set ${setting}`,
    );
  }
  if (error.code === 'EACCES') {
    return new InfrastructureUnavailable(`not allowed to listen on port ${port}: set ${setting}`);
  }
  return error;
}

/**
 * Creates the app's own database when it does not exist yet (its tables come
 * from migrations), and fails with a readable line when PostgreSQL is down.
 */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  // Quoted in CREATE DATABASE; this keeps the name plain (apps may be called gift-cards).
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) {
    throw new InfrastructureUnavailable(
      `DATABASE_URL must name a database (letters, digits, _ and -): ${withoutPassword(target)}`,
    );
  }
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({
    connectionString: maintenance.toString(),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  try {
    await client.connect();
  } catch (error) {
    throw new InfrastructureUnavailable(
      `cannot reach PostgreSQL at ${target.host} (${(error as Error).message}): start it or set DATABASE_URL`,
    );
  }
  try {
    await createDatabaseOnce(client, name);
  } finally {
    await client.end();
  }
}

/** A URL fit for a log line: the password never leaves the process. */
function withoutPassword(url: URL): string {
  const shown = new URL(url);
  if (shown.password) shown.password = '***';
  return shown.toString();
}

// Created by a replica meanwhile: reported either way, depending on timing.
const ALREADY_CREATED = new Set(['42P04', '23505']);
// CREATE DATABASE copies template1, and refuses while another session uses it:
// replicas starting together hit this, and wait their turn.
const TEMPLATE_IN_USE = '55006';

async function createDatabaseOnce(client: pg.Client, name: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount !== 0) return;
    try {
      await client.query(`CREATE DATABASE "${name}"`);
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code && ALREADY_CREATED.has(code)) return;
      if (code !== TEMPLATE_IN_USE || attempt === 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}
