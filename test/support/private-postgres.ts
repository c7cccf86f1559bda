import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findPostgresBinaries } from '../../scripts/start/executables.js';
import { eventually } from './eventually.js';
import { freePort } from './ports.js';

/** initdb or pg_ctl, found where `npm start` finds them. */
function binary(name: string): string {
  const binaries = findPostgresBinaries();
  if (!binaries)
    throw new Error('no PostgreSQL binaries installed (Debian: apt-get install postgresql)');
  return join(binaries, name);
}

/** initdb and pg_ctl refuse to run as root: as root, they run as the postgres user. */
function asPostgres(command: string, args: string[]): void {
  const [file, argv] =
    process.getuid?.() === 0
      ? ['runuser', ['-u', 'postgres', '--', command, ...args]]
      : [command, args];
  execFileSync(file, argv, { stdio: 'pipe' });
}

/**
 * A PostgreSQL server of the test's own, on a free port with its own data
 * directory, so the test can stop and restart it and leave the shared one alone.
 */
export class PrivatePostgres {
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  get adminUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  static async start(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'postgres-'));
    chmodSync(dir, 0o777);
    const server = new PrivatePostgres(await freePort(), dir);
    asPostgres(binary('initdb'), [
      '--pgdata',
      server.dataDir,
      '--username',
      'postgres',
      '--auth',
      'trust',
      '--encoding',
      'UTF8',
      '--no-sync',
    ]);
    await server.resume();
    return server;
  }

  /** Starts it again on the same port and data, as after an outage. */
  async resume(): Promise<void> {
    asPostgres(binary('pg_ctl'), [
      'start',
      '--pgdata',
      this.dataDir,
      '--wait',
      '--log',
      join(this.dir, 'server.log'),
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    ]);
    await eventually(
      async () => {
        const client = new pg.Client({ connectionString: this.adminUrl });
        await client.connect();
        await client.end();
      },
      { timeoutMs: 20_000, what: `PostgreSQL on ${this.port}` },
    );
  }

  /** A fast shutdown: sessions are ended, as when a database server restarts. */
  stop(): Promise<void> {
    asPostgres(binary('pg_ctl'), ['stop', '--pgdata', this.dataDir, '--mode', 'fast', '--wait']);
    return Promise.resolve();
  }

  async dispose(): Promise<void> {
    try {
      await this.stop();
    } catch {
      // Already stopped.
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
