import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, errors } from '@nats-io/transport-node';
import { Child } from './child.js';
import { findExecutable } from './executables.js';
import { external, type Service } from './infrastructure.js';
import { LaunchError } from './launch-error.js';
import { isListening, waitFor } from './net.js';
import type { LaunchSettings } from './settings.js';

const INSTALL_HINT = 'install it (Debian: sudo apt-get install nats-server) or set NATS_URL';

/** NATS_URL if set; else the NATS on the port if it has JetStream; else a nats-server of our own. */
export async function provideNats(settings: LaunchSettings): Promise<Service> {
  if (settings.natsUrl) {
    await requireJetStream(settings.natsUrl, 'NATS_URL');
    return external(settings.natsUrl, 'given', 'from NATS_URL, JetStream on');
  }
  const url = `nats://127.0.0.1:${settings.natsPort}`;
  if (await isListening(settings.natsPort)) {
    await requireJetStream(url, 'START_NATS_PORT to a free port');
    return external(url, 'reused', 'already running, JetStream on');
  }
  return startNats(settings, url);
}

async function requireJetStream(url: string, setting: string): Promise<void> {
  let connection;
  try {
    connection = await connect({ servers: url, timeout: 3_000, reconnect: false });
  } catch (error) {
    if (error instanceof errors.AuthorizationError) {
      throw new LaunchError(`NATS at ${url} requires a user: set NATS_URL to another NATS`);
    }
    throw new LaunchError(`no NATS answers at ${url}: start one there or change ${setting}`);
  }
  try {
    await (await jetstreamManager(connection)).getAccountInfo();
  } catch {
    throw new LaunchError(
      `NATS at ${url} runs without JetStream: restart it with -js (nats-server -js), or change ${setting}`,
    );
  } finally {
    await connection.close();
  }
}

async function startNats(settings: LaunchSettings, url: string): Promise<Service> {
  const binary = settings.natsServerBin
    ? findExecutable(settings.natsServerBin)
    : findExecutable('nats-server', ['/usr/sbin', '/usr/local/sbin']);
  if (settings.natsServerBin && !binary) {
    throw new LaunchError(`START_NATS_SERVER=${settings.natsServerBin} is not an executable file`);
  }
  if (!binary) throw new LaunchError(`nats-server is not installed: ${INSTALL_HINT}`);
  const storeDir = join(settings.dataDir, 'nats');
  const logFile = join(settings.dataDir, 'nats-server.log');
  mkdirSync(storeDir, { recursive: true });
  const server = Child.spawn(binary, natsArguments(settings.natsPort, storeDir, logFile));
  const up = await waitFor(
    async () => {
      const connection = await connect({ servers: url, timeout: 1_000, reconnect: false });
      await connection.close();
      return true;
    },
    10_000,
    () => !server.running,
  );
  if (!up) {
    await server.stop('SIGKILL');
    throw new LaunchError(`nats-server did not start on port ${settings.natsPort}: see ${logFile}`);
  }
  return {
    url,
    origin: 'started',
    detail: `nats-server -js, data in ${storeDir}, log ${logFile}`,
    stop: () => server.stop('SIGTERM'),
  };
}

function natsArguments(port: number, storeDir: string, logFile: string): string[] {
  return ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir, '-l', logFile];
}
