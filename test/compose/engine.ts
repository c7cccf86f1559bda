import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  copyFileSync,
  chmodSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { progress } from './report.js';
import { onPath, run, runOk } from './shell.js';

/**
 * The test's own Docker engine: a dockerd of its own (data root, exec root,
 * socket, pid file under the state directory), never a user's engine or
 * images. The data root stays between runs as the cache of built images.
 */
export interface Engine {
  readonly stateDir: string;
  /** The environment for `docker` and `docker compose`: this engine, this CLI config, nothing of the user's. */
  readonly env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export const DEFAULT_STATE_DIR = '/var/tmp/nest-jetstream-platform-compose-test';
const DEBIAN_MIRROR_FALLBACK = 'http://deb.debian.org/debian';

/** The mirror apt uses on this machine (deb822 or one-line sources), for debootstrap and the compose plugin. */
export function debianMirror(): string {
  if (process.env.COMPOSE_TEST_DEBIAN_MIRROR) return process.env.COMPOSE_TEST_DEBIAN_MIRROR;
  const files = ['/etc/apt/sources.list'];
  if (existsSync('/etc/apt/sources.list.d'))
    files.push(
      ...readdirSync('/etc/apt/sources.list.d').map((name) =>
        join('/etc/apt/sources.list.d', name),
      ),
    );
  for (const file of files) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const match =
      /^URIs:\s*(\S+\/debian)\/?\s*$/m.exec(text) ??
      /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\/?\s/m.exec(text);
    if (match?.[1]) return match[1];
  }
  return DEBIAN_MIRROR_FALLBACK;
}

async function aptInstall(packages: readonly string[]): Promise<void> {
  progress(`apt-get install ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const args = ['install', '--yes', '--quiet', '--no-install-recommends', ...packages];
  if ((await run('apt-get', args, { env })).code === 0) return;
  await runOk('apt-get', ['update', '--quiet'], { env });
  await runOk('apt-get', args, { env });
}

/**
 * Compose v2 as a CLI plugin in this test's own CLI config directory: the
 * installed one when the docker CLI has it, otherwise the static binary of
 * Debian's `docker-compose` package of the suite after bookworm (bookworm's is
 * Compose v1), downloaded with a sources list of its own and unpacked, never
 * installed into the system.
 */
async function ensureComposePlugin(stateDir: string, cliConfig: string): Promise<void> {
  const plugin = join(cliConfig, 'cli-plugins', 'docker-compose');
  if (existsSync(plugin)) return;
  mkdirSync(join(cliConfig, 'cli-plugins'), { recursive: true });
  for (const installed of [
    '/usr/local/lib/docker/cli-plugins/docker-compose',
    '/usr/libexec/docker/cli-plugins/docker-compose',
    '/usr/lib/docker/cli-plugins/docker-compose',
  ]) {
    if (existsSync(installed)) {
      copyFileSync(installed, plugin);
      chmodSync(plugin, 0o755);
      return;
    }
  }
  progress('downloading Compose v2 (Debian trixie docker-compose package)');
  const apt = join(stateDir, 'apt-trixie');
  rmSync(apt, { recursive: true, force: true });
  mkdirSync(join(apt, 'lists', 'partial'), { recursive: true });
  mkdirSync(join(apt, 'cache', 'archives', 'partial'), { recursive: true });
  const sources = join(apt, 'sources.list');
  await runOk('sh', ['-c', `echo "deb ${debianMirror()} trixie main" > ${sources}`]);
  const options = [
    `-oDir::Etc::sourcelist=${sources}`,
    '-oDir::Etc::sourceparts=-',
    `-oDir::State::lists=${join(apt, 'lists')}`,
    `-oDir::Cache=${join(apt, 'cache')}`,
    '-oAPT::Get::List-Cleanup=0',
    '-oAPT::Sandbox::User=root',
  ];
  await runOk('apt-get', [...options, 'update', '--quiet']);
  await runOk('apt-get', [...options, 'download', 'docker-compose'], { cwd: apt });
  const deb = readdirSync(apt).find(
    (name) => name.startsWith('docker-compose_') && name.endsWith('.deb'),
  );
  if (!deb) throw new Error('apt-get download docker-compose left no .deb');
  await runOk('dpkg', ['-x', join(apt, deb), join(apt, 'unpacked')]);
  copyFileSync(join(apt, 'unpacked/usr/libexec/docker/cli-plugins/docker-compose'), plugin);
  chmodSync(plugin, 0o755);
  rmSync(apt, { recursive: true, force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function stopDockerd(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!(pid > 0) || !alive(pid)) return;
  progress(`stopping dockerd (pid ${pid})`);
  process.kill(pid, 'SIGTERM');
  const stopBy = Date.now() + 30_000;
  while (alive(pid) && Date.now() < stopBy) await sleep(250);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

/**
 * One run at a time per state directory (one engine, one compose project): a
 * later run waits for the earlier one to end, at most `waitMs`. Returns the
 * release.
 */
async function takeTurn(stateDir: string, waitMs: number): Promise<() => void> {
  const lock = join(stateDir, 'runner.pid');
  const deadline = Date.now() + waitMs;
  let waiting = false;
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const content = readFileSync(lock, 'utf8').trim();
    const holder = Number(content);
    if (content !== '' && (!(holder > 0) || !alive(holder))) {
      rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(
        `another compose test (pid ${holder}) still runs on ${stateDir} after ${waitMs / 60_000} minutes`,
      );
    if (!waiting)
      progress(`another compose test (pid ${holder}) runs on ${stateDir}: waiting for it to end`);
    waiting = true;
    await sleep(content === '' ? 100 : 2000);
  }
}

/** Installs what is missing (docker.io, debootstrap, the compose plugin), then starts the engine. */
export async function startEngine(stateDir: string): Promise<Engine> {
  if (process.getuid?.() !== 0)
    throw new Error('the compose test runs its own dockerd, which needs root; run it as root');
  mkdirSync(stateDir, { recursive: true });
  const missing = [];
  if (!(await onPath('dockerd'))) missing.push('docker.io');
  if (!(await onPath('debootstrap'))) missing.push('debootstrap');
  if (missing.length > 0) await aptInstall(missing);
  const cliConfig = join(stateDir, 'cli');
  await ensureComposePlugin(stateDir, cliConfig);

  const socket = join(stateDir, 'docker.sock');
  const pidFile = join(stateDir, 'dockerd.pid');
  const release = await takeTurn(stateDir, 20 * 60_000);
  // Left by a run that was killed or kept (--keep): its project goes with the next `down`.
  await stopDockerd(pidFile);
  const env: NodeJS.ProcessEnv = {
    // Without npm's node_modules/.bin: `docker` is the machine's, whatever an install does meanwhile.
    PATH: (process.env.PATH ?? '')
      .split(':')
      .filter((entry) => !entry.includes('node_modules'))
      .join(':'),
    HOME: process.env.HOME,
    DOCKER_HOST: `unix://${socket}`,
    DOCKER_CONFIG: cliConfig,
  };
  progress(`starting dockerd on ${socket} (data root ${join(stateDir, 'data')})`);
  const log = join(stateDir, 'dockerd.log');
  // setsid: the engine outlives nothing but this run, yet a Ctrl-C in the terminal reaches the runner first, which stops it cleanly.
  await runOk('sh', [
    '-c',
    `setsid dockerd --data-root '${join(stateDir, 'data')}' --exec-root '${join(stateDir, 'exec')}' ` +
      `--pidfile '${pidFile}' --host 'unix://${socket}' >'${log}' 2>&1 </dev/null &`,
  ]);
  const deadline = Date.now() + 60_000;
  while ((await run('docker', ['info', '--format', '{{.ServerVersion}}'], { env })).code !== 0) {
    if (Date.now() > deadline)
      throw new Error(
        `dockerd did not answer on ${socket} within 60 s; its log ${log}:\n${readFileSync(log, 'utf8').split('\n').slice(-15).join('\n')}`,
      );
    await sleep(500);
  }

  return {
    stateDir,
    env,
    async stop() {
      await stopDockerd(pidFile);
      release();
    },
  };
}
