import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import type { Engine } from './engine.js';
import { run, runOk, tail, type RunOptions } from './shell.js';

/** The host ports the gateway publishes, one per app, as the FLOWS_*_URL of the flows suite. */
export interface GatewayUrls {
  readonly orders: string;
  readonly payments: string;
  readonly shipping: string;
  readonly notifications: string;
  readonly flowView: string;
}

export const APPS = ['orders', 'payments', 'shipping', 'notifications', 'flow-view'] as const;

/** The CA file this machine's npm trusts, if any: the image builds' npm needs it too (BUILD_EXTRA_CA_CERTS). */
function machineCaFile(): string | undefined {
  try {
    const cafile = execFileSync('npm', ['config', 'get', 'cafile'], { encoding: 'utf8' }).trim();
    if (cafile && cafile !== 'null' && cafile !== 'undefined' && existsSync(cafile)) return cafile;
  } catch {
    // No npm config: fall through.
  }
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  return extra && existsSync(extra) ? extra : undefined;
}

/** Free ports on 127.0.0.1, all held open until every one is found, so that no two are the same. */
async function distinctFreePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let index = 0; index < count; index += 1) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
    }
    return servers.map((server) => {
      const address = server.address();
      return typeof address === 'object' && address ? address.port : 0;
    });
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/**
 * The env file of the run: a copy of .env.example (or COMPOSE_TEST_ENV_FILE)
 * with free host ports for the gateway, so that the test never collides with
 * a system already running on 3001-3005.
 */
export async function writeEnvFile(
  repository: string,
  runDir: string,
): Promise<{ file: string; urls: GatewayUrls }> {
  const source = process.env.COMPOSE_TEST_ENV_FILE ?? join(repository, '.env.example');
  const [orders = 0, payments = 0, shipping = 0, notifications = 0, flowView = 0] =
    await distinctFreePorts(5);
  const ports = {
    ORDERS_HTTP_PORT: orders,
    PAYMENTS_HTTP_PORT: payments,
    SHIPPING_HTTP_PORT: shipping,
    NOTIFICATIONS_HTTP_PORT: notifications,
    FLOW_VIEW_HTTP_PORT: flowView,
  };
  const overrides: Record<string, string> = Object.fromEntries(
    Object.entries(ports).map(([key, port]) => [key, String(port)]),
  );
  const ca = machineCaFile();
  if (ca) overrides.BUILD_EXTRA_CA_CERTS = ca;
  const kept = readFileSync(source, 'utf8')
    .split('\n')
    .filter((line) => !Object.keys(overrides).some((key) => line.startsWith(`${key}=`)));
  const file = join(runDir, 'compose.env');
  mkdirSync(runDir, { recursive: true });
  writeFileSync(
    file,
    [
      ...kept,
      '# compose test',
      ...Object.entries(overrides).map(([key, value]) => `${key}=${value}`),
      '',
    ].join('\n'),
  );
  const url = (port: number) => `http://127.0.0.1:${port}`;
  return {
    file,
    urls: {
      orders: url(ports.ORDERS_HTTP_PORT),
      payments: url(ports.PAYMENTS_HTTP_PORT),
      shipping: url(ports.SHIPPING_HTTP_PORT),
      notifications: url(ports.NOTIFICATIONS_HTTP_PORT),
      flowView: url(ports.FLOW_VIEW_HTTP_PORT),
    },
  };
}

/** Without the terminal control sequences compose writes even with --no-color. */
function plain(text: string): string {
  // oxlint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '');
}

export interface ContainerState {
  readonly name: string;
  readonly service: string;
  readonly state: string;
  readonly health: string;
  readonly exitCode: number;
}

/** `docker compose` of the project's own docker-compose.yml, on the test's engine, with the run's env file. */
export class ComposeProject {
  constructor(
    private readonly engine: Engine,
    readonly repository: string,
    readonly envFile: string,
  ) {}

  private args(args: readonly string[]): string[] {
    return ['compose', '--project-directory', this.repository, '--env-file', this.envFile, ...args];
  }

  run(args: readonly string[], options: RunOptions = {}) {
    return run('docker', this.args(args), { env: this.engine.env, ...options });
  }

  runOk(args: readonly string[], options: RunOptions = {}) {
    return runOk('docker', this.args(args), { env: this.engine.env, ...options });
  }

  /** `up --wait`; on failure, the reason names each service that is not healthy, with its health check output and log. */
  async upAndWait(extra: readonly string[] = [], timeoutS = 240): Promise<void> {
    const result = await this.run(
      ['up', '--detach', '--wait', '--wait-timeout', String(timeoutS), ...extra],
      {
        timeoutMs: (timeoutS + 120) * 1000,
      },
    );
    if (result.code !== 0)
      throw new Error(
        `docker compose up --wait failed: ${await this.whyNotHealthy(result.output)}`,
      );
  }

  async containers(): Promise<ContainerState[]> {
    const output = await this.runOk(['ps', '--all', '--format', 'json']);
    const trimmed = output.trim();
    const rows: Record<string, unknown>[] = trimmed.startsWith('[')
      ? (JSON.parse(trimmed) as Record<string, unknown>[])
      : trimmed
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>);
    return rows.map((row) => ({
      name: String(row.Name),
      service: String(row.Service),
      state: String(row.State),
      health: String(row.Health ?? ''),
      exitCode: Number(row.ExitCode ?? 0),
    }));
  }

  /** What went wrong, in a few lines: compose's own error first, then each unhealthy or exited container. */
  async whyNotHealthy(composeOutput: string): Promise<string> {
    const output = plain(composeOutput).trim().split('\n');
    // "dependency failed to start: container ... is unhealthy" first, then the containers' own lines.
    const errors = [
      ...output.filter((line) => /failed|unhealthy/i.test(line)),
      ...output.filter((line) => /error|exited/i.test(line) && !/failed|unhealthy/i.test(line)),
    ];
    const lines = errors.length > 0 ? errors : output.slice(-1);
    for (const container of await this.containers().catch(() => [])) {
      const healthy = container.health === '' || container.health === 'healthy';
      if (container.state === 'running' && healthy) continue;
      if (container.state === 'created') {
        lines.push(`- ${container.service}: not started (it waits for the services above)`);
        continue;
      }
      const lastProbe = await this.lastHealthCheck(container.name);
      const logs = await this.run([
        'logs',
        '--no-color',
        '--no-log-prefix',
        '--tail',
        '5',
        container.service,
      ]);
      lines.push(
        `- ${container.service} is ${container.state}${container.health ? `, ${container.health}` : ''}` +
          (container.state === 'exited' ? `, exit code ${container.exitCode}` : ''),
        `  last health check: ${lastProbe}`,
        `  last log lines:\n${tail(plain(logs.output), 5).replace(/^/gm, '    ')}`,
      );
    }
    return lines.join('\n');
  }

  /** The exit code and output of a container's last health check. */
  private async lastHealthCheck(container: string): Promise<string> {
    const result = await run(
      'docker',
      ['inspect', '--format', '{{json .State.Health}}', container],
      {
        env: this.engine.env,
      },
    );
    if (result.code !== 0) return '(unknown)';
    const health = JSON.parse(result.output) as {
      Log?: { ExitCode: number; Output: string }[];
    } | null;
    const last = health?.Log?.at(-1);
    if (!last) return '(none yet)';
    return `exit code ${last.ExitCode}${last.Output.trim() ? `, ${tail(plain(last.Output), 2).trim()}` : ', no output'}`;
  }

  async imageSizes(names: readonly string[]): Promise<string[]> {
    const lines: string[] = [];
    for (const name of names) {
      const size = await run('docker', ['image', 'inspect', '--format', '{{.Size}}', name], {
        env: this.engine.env,
      });
      lines.push(
        `${name} ${size.code === 0 ? `${(Number(size.output.trim()) / 1e6).toFixed(0)} MB` : 'missing'}`,
      );
    }
    return lines;
  }
}
