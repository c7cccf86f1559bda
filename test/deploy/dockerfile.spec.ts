import { DockerfileParser, type Copy, type Instruction, type Run } from 'dockerfile-ast';
import { validate, ValidationSeverity } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import {
  ALL_APPS as APPS,
  ciNodeMajor,
  defaultPort,
  readText,
  satisfiesEngines,
  versionOf,
} from './deploy-support.js';

// Offline, these tests hold the Dockerfile to what CI does build and run: the
// same install and build commands, the bundles `npm run build` writes, started
// the way `node dist/apps/<app>/main.js` is started by the e2e tests.
// `npm run test:compose` builds and runs the images for real.

const DOCKERFILE = readText('Dockerfile');
const dockerfile = DockerfileParser.parse(DOCKERFILE);
const packageJson = JSON.parse(readText('package.json')) as {
  engines: { node: string };
  scripts: Record<string, string>;
};

interface Stage {
  readonly name: string;
  readonly base: string;
  readonly instructions: Instruction[];
}

/** The build stages in order, each with its own instructions. */
function stages(): Stage[] {
  const result: { name: string; base: string; instructions: Instruction[] }[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const from = dockerfile.getFROMs().find((candidate) => candidate === instruction);
      result.push({
        name: from?.getBuildStage() ?? `stage${result.length}`,
        base: from?.getImage() ?? '',
        instructions: [],
      });
    } else {
      result.at(-1)?.instructions.push(instruction);
    }
  }
  return result;
}

function stage(name: string): Stage {
  const found = stages().find((candidate) => candidate.name === name);
  if (!found) throw new Error(`the Dockerfile has no stage ${name}`);
  return found;
}

/** A stage and the stages it is built FROM, nearest first. */
function lineage(name: string): Stage[] {
  const chain: Stage[] = [];
  let current: Stage | undefined = stage(name);
  while (current) {
    chain.push(current);
    const base: string = current.base;
    current = stages().find((candidate) => candidate.name === base);
  }
  return chain;
}

function runLines(target: Stage): string[] {
  return target.instructions
    .filter((instruction) => instruction.getKeyword() === 'RUN')
    .map((instruction) => instruction.getArgumentsContent() ?? '');
}

function keyword(target: Stage, name: string): Instruction[] {
  return lineage(target.name).flatMap((ancestor) =>
    ancestor.instructions.filter((instruction) => instruction.getKeyword() === name),
  );
}

function copies(target: Stage): { from?: string; args: string[] }[] {
  return target.instructions
    .filter((instruction) => instruction.getKeyword() === 'COPY')
    .map((instruction) => ({
      from:
        (instruction as Copy)
          .getFlags()
          .find((flag) => flag.getName() === 'from')
          ?.getValue() ?? undefined,
      args: instruction.getArguments().map((argument) => argument.getValue()),
    }));
}

/** The value an ARG gets by default (the global ARGs before the first FROM). */
function argDefault(name: string): string | undefined {
  for (const instruction of dockerfile.getInstructions()) {
    const [assignment] = instruction.getArguments().map((argument) => argument.getValue());
    if (instruction.getKeyword() === 'ARG' && assignment?.startsWith(`${name}=`)) {
      return assignment.slice(name.length + 1);
    }
  }
  return undefined;
}

describe('Dockerfile', () => {
  it('lints clean with dockerfile-utils, every check raised to a warning', () => {
    const all = ValidationSeverity.WARNING;
    const diagnostics = validate(DOCKERFILE, {
      deprecatedMaintainer: all,
      directiveCasing: all,
      emptyContinuationLine: all,
      instructionCasing: all,
      instructionCmdMultiple: all,
      instructionEntrypointMultiple: all,
      instructionHealthcheckMultiple: all,
      instructionJSONInSingleQuotes: all,
      instructionWorkdirRelative: all,
    });
    expect(
      diagnostics.map((diagnostic) => `${diagnostic.range.start.line + 1}: ${diagnostic.message}`),
    ).toEqual([]);
  });

  it('builds the bundles with the commands CI runs: npm ci, then npm run build', () => {
    // CI (.ci/run) runs `npm ci` then `npm test`, and `npm test` runs `npm run build`.
    const ci = readText('.ci/run');
    expect(ci).toMatch(/^npm ci$/m);
    expect(ci).toMatch(/^npm test$/m);
    expect(packageJson.scripts.test).toContain('npm run build');

    const build = lineage('build').flatMap(runLines);
    expect(build).toContain('npm ci');
    expect(build).toContain('npm run build');
    // Installed before the build, from the lockfile alone: the cached layer holds until it changes.
    expect(build.indexOf('npm ci')).toBeLessThan(build.indexOf('npm run build'));
  });

  it('builds exactly the apps that `npm run build` builds, one final stage each', () => {
    const built = packageJson.scripts.build?.replace(/^nest build\s+/, '').split(/\s+/);
    // In any order: a generated app comes after the flow view. Provisioning is no app: every image has it.
    expect(new Set(built)).toEqual(new Set([...APPS, 'provision-nats']));
    for (const app of APPS)
      expect(lineage(app).map((ancestor) => ancestor.name)).toContain('runtime');
  });

  it.each(APPS)(
    'the %s image copies only its own bundle and starts it with node dist/apps/<app>/main.js under tini',
    (app) => {
      const target = stage(app);
      expect(copies(target)).toEqual([
        { from: 'build', args: [`/app/dist/apps/${app}`, `./dist/apps/${app}`] },
      ]);
      const cmd = keyword(target, 'CMD');
      expect(cmd).toHaveLength(1);
      // Exec form: Node gets SIGTERM itself, no shell in between.
      expect(JSON.parse(cmd[0]?.getArgumentsContent() ?? '')).toEqual([
        'node',
        `dist/apps/${app}/main.js`,
      ]);
      const entrypoint = keyword(target, 'ENTRYPOINT');
      expect(JSON.parse(entrypoint[0]?.getArgumentsContent() ?? '')).toEqual([
        '/usr/bin/tini',
        '--',
      ]);
      // tini must be installed where the image runs, not only in a build stage.
      expect(lineage(app).flatMap(runLines).join('\n')).toMatch(/apt-get install .*\btini\b/);
    },
  );

  it.each(APPS)('the %s image listens on the port the app defaults to', (app) => {
    const target = stage(app);
    const env = keyword(target, 'ENV').map((instruction) => instruction.getArgumentsContent());
    expect(env).toContain(`PORT=${defaultPort(app)}`);
    const exposed = keyword(target, 'EXPOSE').map((instruction) =>
      instruction.getArgumentsContent(),
    );
    expect(exposed).toEqual([String(defaultPort(app))]);
  });

  it('ships production dependencies only (npm ci --omit=dev) and no sources', () => {
    const runtime = stage('runtime');
    const fromStages = copies(runtime).map((copy) => copy.from);
    expect(fromStages).toEqual([undefined, 'production-dependencies', 'build']);
    expect(copies(runtime)[1]?.args).toEqual(['/app/node_modules', './node_modules']);
    // The provisioning bundle, which compose and Kubernetes run before the apps.
    expect(copies(runtime)[2]?.args).toEqual([
      '/app/dist/scripts/provision-nats',
      './dist/scripts/provision-nats',
    ]);
    expect(lineage('production-dependencies').flatMap(runLines)).toContain('npm ci --omit=dev');
    // The only file from the context is package.json, for "type": "module".
    expect(copies(runtime)[0]?.args).toEqual(['package.json', './']);
    for (const app of APPS) {
      expect(copies(stage(app)).every((copy) => copy.from === 'build')).toBe(true);
    }
  });

  it('runs as a numeric non-root user, so Kubernetes can verify runAsNonRoot', () => {
    for (const app of APPS) {
      const users = keyword(stage(app), 'USER').map((instruction) =>
        instruction.getArgumentsContent(),
      );
      expect(users.length).toBeGreaterThan(0);
      const [user] = users;
      expect(user).toMatch(/^[0-9]+(:[0-9]+)?$/);
      expect(Number(user?.split(':')[0])).toBeGreaterThan(0);
    }
  });

  it('checks health on /health/ready, with Node (the slim image has no curl)', () => {
    for (const app of APPS) {
      const healthcheck = keyword(stage(app), 'HEALTHCHECK');
      expect(healthcheck).toHaveLength(1);
      expect(healthcheck[0]?.getArgumentsContent()).toMatch(
        /CMD \["node", "-e", ".*\/health\/ready/,
      );
    }
  });

  it('uses the Node LTS CI tests on, within package.json engines, on Debian 13, and an npm that honours allowScripts', () => {
    const node = versionOf(argDefault('NODE_VERSION'));
    expect(node.length).toBeGreaterThanOrEqual(2); // major.minor pinned, not a floating "latest"
    expect(node[0]).toBeGreaterThanOrEqual(24); // 20 is past its end of life
    expect(node[0]).toBe(ciNodeMajor());
    expect(satisfiesEngines(node, packageJson.engines.node)).toBe(true);
    for (const base of ['toolchain', 'runtime']) {
      expect(stage(base).base).toBe('node:${NODE_VERSION}-trixie-slim');
    }
    // npm 11 reads package.json's allowScripts, as CI's npm does; the image's own npm 10 would not.
    expect(versionOf(argDefault('NPM_VERSION'))[0]).toBeGreaterThanOrEqual(11);
    expect(runLines(stage('toolchain'))).toContain('npm install --global npm@${NPM_VERSION}');
    expect(lineage('build').map((ancestor) => ancestor.name)).toContain('toolchain');
    expect(lineage('production-dependencies').map((ancestor) => ancestor.name)).toContain(
      'toolchain',
    );
  });

  it('lets npm trust extra CA certificates handed to the build as an optional secret, which no layer keeps', () => {
    // The file NODE_EXTRA_CA_CERTS names exists empty in the toolchain; each npm
    // step mounts the secret over it, so without the secret nothing changes.
    const caFile = keyword(stage('toolchain'), 'ENV')
      .map(
        (instruction) =>
          /NODE_EXTRA_CA_CERTS=(\S+)/.exec(instruction.getArgumentsContent() ?? '')?.[1],
      )
      .find(Boolean);
    expect(caFile).toBeDefined();
    expect(runLines(stage('toolchain'))).toContain(`touch ${caFile}`);
    const npmSteps = ['toolchain', 'build', 'production-dependencies'].flatMap((name) =>
      stage(name).instructions.filter(
        (instruction): instruction is Run =>
          instruction.getKeyword() === 'RUN' &&
          /^npm (ci|install)\b/.test(instruction.getArgumentsContent() ?? ''),
      ),
    );
    expect(npmSteps).toHaveLength(3);
    for (const step of npmSteps) {
      const mounts = step.getFlags().filter((flag) => flag.getName() === 'mount');
      expect(mounts.map((flag) => flag.getValue())).toEqual([
        `type=secret,id=ca-certificates,target=${caFile}`,
      ]);
    }
    // The images themselves never trust it: their stages do not derive from the toolchain.
    for (const app of APPS)
      expect(lineage(app).map((ancestor) => ancestor.name)).not.toContain('toolchain');
    // No `# syntax=` line: the engine's own Dockerfile frontend, no registry lookup before building.
    expect(DOCKERFILE).not.toMatch(/^#\s*syntax=/m);
  });

  it('.dockerignore lets in exactly what the Dockerfile copies from the build context', () => {
    const rules = readText('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    // Allow-list: everything is out unless named, so .env, .git, node_modules and dist stay out.
    expect(rules[0]).toBe('*');
    const allowed = rules
      .filter((rule) => rule.startsWith('!'))
      .map((rule) => rule.slice(1).replace(/\/$/, ''));
    const copied = stages()
      .flatMap(copies)
      .filter((copy) => copy.from === undefined)
      .flatMap((copy) => copy.args.slice(0, -1));
    expect(new Set(allowed)).toEqual(new Set(copied));
    for (const secret of ['.env', '.git', 'node_modules', 'dist'])
      expect(allowed).not.toContain(secret);
  });
});
