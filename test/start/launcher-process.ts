import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually } from '../support/eventually.js';
import { freePort } from '../support/ports.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
export const APPS = ['orders', 'payments', 'shipping', 'notifications', 'flow-view'] as const;

/** `npm start`'s launcher as a process of its own, on free ports, keeping its data in a temporary folder. */
export class LauncherProcess {
  private output = '';
  readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly dataDir: string,
    readonly ports: Readonly<Record<'nats' | 'postgres' | (typeof APPS)[number], number>>,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
  }

  static async start(env: Record<string, string> = {}): Promise<LauncherProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
    // PostgreSQL runs as the postgres user, who must be able to reach its folder in here.
    chmodSync(dataDir, 0o755);
    const ports = {
      nats: await freePort(),
      postgres: await freePort(),
      orders: await freePort(),
      payments: await freePort(),
      shipping: await freePort(),
      notifications: await freePort(),
      'flow-view': await freePort(),
    };
    const { NATS_URL: _nats, DATABASE_URL: _database, ...inherited } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start/main.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...inherited,
        NO_COLOR: '1',
        START_DATA_DIR: dataDir,
        START_NATS_PORT: String(ports.nats),
        START_POSTGRES_PORT: String(ports.postgres),
        ...(process.env.NATS_SERVER_BIN ? { START_NATS_SERVER: process.env.NATS_SERVER_BIN } : {}),
        ORDERS_PORT: String(ports.orders),
        PAYMENTS_PORT: String(ports.payments),
        SHIPPING_PORT: String(ports.shipping),
        NOTIFICATIONS_PORT: String(ports.notifications),
        FLOW_VIEW_PORT: String(ports['flow-view']),
        ...env,
      },
    });
    return new LauncherProcess(child, dataDir, ports);
  }

  get logs(): string {
    return this.output;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Waits for the banner that says everything is up. */
  async running(): Promise<void> {
    await eventually(
      () => {
        if (this.child.exitCode !== null) throw new Error(`launcher exited:\n${this.output}`);
        if (!this.output.includes('The platform is running')) throw new Error('no banner yet');
      },
      { timeoutMs: 120_000, intervalMs: 250, what: 'the launcher banner' },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- output ---\n${this.output}`);
    });
  }

  /**
   * The processes it started: its descendants, and the servers that left its
   * process tree (pg_ctl daemonises PostgreSQL), found by their data folder.
   */
  startedProcesses(): number[] {
    const table = processTable();
    const found = new Set<number>();
    const add = (pid: number) => {
      if (found.has(pid)) return;
      found.add(pid);
      for (const entry of table) if (entry.ppid === pid) add(entry.pid);
    };
    for (const entry of table) {
      if (entry.pid === this.pid || entry.cmdline.includes(this.dataDir)) add(entry.pid);
    }
    found.delete(this.pid);
    return [...found];
  }

  interrupt(): void {
    this.child.kill('SIGINT');
  }

  async dispose(): Promise<void> {
    if (this.child.exitCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
    for (const pid of this.startedProcesses()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

interface ProcessEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly cmdline: string;
}

function processTable(): ProcessEntry[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
        return [{ pid: Number(name), ppid, cmdline }];
      } catch {
        return [];
      }
    });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}
