import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { findPostgresBinaries } from './executables.js';
import { external, type Service } from './infrastructure.js';
import { LaunchError, messageOf } from './launch-error.js';
import { isListening } from './net.js';
import { startEmbeddedPostgres } from './pglite-server.js';
import type { LaunchSettings } from './settings.js';

const run = promisify(execFile);

/**
 * DATABASE_URL if set; else the PostgreSQL on the port; else one of our own,
 * from the installed binaries or, without them, embedded (PGlite).
 */
export async function providePostgres(settings: LaunchSettings): Promise<Service> {
  if (settings.databaseUrl) {
    await requireConnection(settings.databaseUrl, 'check DATABASE_URL');
    return external(settings.databaseUrl, 'given', 'from DATABASE_URL');
  }
  const url = `postgres://postgres@127.0.0.1:${settings.postgresPort}`;
  if (await isListening(settings.postgresPort)) {
    await requireConnection(
      url,
      'set DATABASE_URL, or START_POSTGRES_PORT to a free port for a PostgreSQL of our own',
    );
    return external(url, 'reused', 'already running');
  }
  const binaries =
    settings.postgresBinaries === 'none'
      ? undefined
      : (settings.postgresBinaries ?? findPostgresBinaries());
  if (!binaries) return startEmbeddedPostgres(settings, url);
  return startInstalledPostgres(binaries, settings, url);
}

/** `remedy`: what the developer can do when it cannot be used. */
async function requireConnection(url: string, remedy: string): Promise<void> {
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({
    connectionString: maintenance.toString(),
    connectionTimeoutMillis: 3_000,
  });
  try {
    await client.connect();
  } catch (error) {
    if (wantsPassword(error)) {
      throw new LaunchError(
        `PostgreSQL at ${maintenance.host} wants a password (DATABASE_URL=postgres://<user>:<password>@${maintenance.host}): ${remedy}`,
      );
    }
    throw new LaunchError(
      `cannot use PostgreSQL at ${maintenance.host} (${messageOf(error)}): ${remedy}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

// invalid_password; SCRAM without a password fails in the client.
function wantsPassword(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === '28P01' || /password/i.test(messageOf(error));
}

async function startInstalledPostgres(
  binaries: string,
  settings: LaunchSettings,
  url: string,
): Promise<Service> {
  const dataDir = join(settings.dataDir, 'postgres');
  const asOwner = await ownerCommand(dataDir);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    await attempt(
      `initdb in ${dataDir} failed (the postgres user must be able to reach it; START_DATA_DIR moves it)`,
      asOwner(join(binaries, 'initdb'), initdbArguments(dataDir)),
    );
  }
  const pgCtl = join(binaries, 'pg_ctl');
  const logFile = join(dataDir, 'server.log');
  const serverOptions = `-p ${settings.postgresPort} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`;
  await attempt(
    `PostgreSQL did not start on port ${settings.postgresPort} (see ${logFile})`,
    asOwner(pgCtl, ['start', '-w', '-t', '60', '-D', dataDir, '-l', logFile, '-o', serverOptions]),
  );
  return {
    url,
    origin: 'started',
    detail: `PostgreSQL from ${binaries}, data and server.log in ${dataDir}`,
    stop: async () => {
      await asOwner(pgCtl, ['stop', '-w', '-m', 'fast', '-D', dataDir]).catch(() => undefined);
    },
  };
}

function initdbArguments(dataDir: string): string[] {
  return ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-instructions'];
}

type Runner = (command: string, args: readonly string[]) => Promise<unknown>;

/**
 * PostgreSQL refuses to run as root: as root, its data folder is given to the
 * `postgres` user and its commands run as that user.
 */
async function ownerCommand(dataDir: string): Promise<Runner> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (process.getuid?.() !== 0) return (command, args) => run(command, [...args]);
  await attempt(
    'PostgreSQL needs a "postgres" user to run as when started as root',
    run('chown', ['postgres:postgres', dataDir]),
  );
  return (command, args) => run('runuser', ['-u', 'postgres', '--', command, ...args]);
}

async function attempt(what: string, work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    const reason = stderr.split('\n').find((line) => /error|fatal/i.test(line)) ?? messageOf(error);
    throw new LaunchError(`${what}: ${reason.trim()}`);
  }
}
