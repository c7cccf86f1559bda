import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

/** The build of today's sources, as `npm run build` makes it. */
export const TODAY = 'dist';

/**
 * The next two releases of a contract change, as docs/evolving-messages.md
 * orders them: release 1 adds an optional field to OrderPlaced (orders sends
 * it, notifications shows it) and teaches payments ProcessPayment version 2
 * with an upcaster from 1 while every producer still sends 1; release 2 makes
 * orders send version 2. Each is a patch on top of the one before.
 */
export const RELEASES = ['release-1', 'release-2'] as const;
export type Release = (typeof RELEASES)[number];

const APPS = ['orders', 'payments', 'shipping', 'notifications'];
/** What a build reads: the sources, their configuration and the contracts' check. */
const INPUTS = [
  'apps',
  'libs',
  'scripts/contracts',
  'scripts/generate-docs',
  'tsconfig.json',
  'nest-cli.json',
  'package.json',
];
const PATCHES = resolve(import.meta.dirname);
// Outside the checkout, where git would apply the patches to it instead; one per checkout.
const CACHE = join(
  tmpdir(),
  `releases-${createHash('sha256').update(resolve('.')).digest('hex').slice(0, 8)}`,
);

/**
 * Builds each release from a patched copy of today's sources into a dist of
 * its own, and returns where each one's dist is. Before each build the copy
 * must pass `contracts:check` against the snapshot of the release before it,
 * as a real release must; the snapshot is then recorded, as at release time.
 * Builds are kept, keyed by a hash of the sources and patches: a second run
 * of the same sources builds nothing.
 */
export function buildReleases(): Record<Release, string> {
  const key = sourceHash();
  const root = join(CACHE, key);
  const dists = Object.fromEntries(
    RELEASES.map((release) => [release, join(root, release, 'dist')]),
  ) as Record<Release, string>;
  if (existsSync(join(root, 'built'))) return dists;

  rmSync(CACHE, { recursive: true, force: true });
  const tree = join(root, 'tree');
  copySources(tree);
  for (const release of RELEASES) {
    const applied = run(tree, 'git', ['apply', '--verbose', join(PATCHES, `${release}.patch`)]);
    if (/^Skipped/m.test(applied)) throw new Error(`${release}.patch skipped files:\n${applied}`);
    run(tree, process.execPath, [tsx(), 'scripts/contracts/main.ts', 'check']);
    run(tree, process.execPath, [nest(), 'build', ...APPS]);
    mkdirSync(join(root, release));
    cpSync(join(tree, 'dist'), dists[release], { recursive: true });
    linkPackages(join(root, release));
    // Released: the next release is checked against this one's contracts.
    run(tree, process.execPath, [tsx(), 'scripts/contracts/main.ts', 'snapshot']);
  }
  writeFileSync(join(root, 'built'), new Date().toISOString());
  return dists;
}

function copySources(tree: string): void {
  mkdirSync(tree, { recursive: true });
  for (const input of INPUTS) cpSync(input, join(tree, input), { recursive: true });
  linkPackages(tree);
}

/** The built apps import their packages at run time, from next to their dist. */
function linkPackages(directory: string): void {
  symlinkSync(realpathSync('node_modules'), join(directory, 'node_modules'), 'dir');
}

function sourceHash(): string {
  const hash = createHash('sha256');
  const files = [
    ...INPUTS.flatMap(filesUnder),
    ...RELEASES.map((release) => join(PATCHES, `${release}.patch`)),
  ];
  for (const file of files.sort()) {
    hash.update(relative('.', file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => filesUnder(join(path, name)));
}

/** Runs a command to its end; returns what it wrote to stdout and stderr. */
function run(cwd: string, command: string, args: string[]): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) {
    throw new Error(`${[command, ...args].join(' ')} failed in ${cwd}:\n${output}`);
  }
  return output;
}

const tsx = () => resolve('node_modules/tsx/dist/cli.mjs');
const nest = () => resolve('node_modules/@nestjs/cli/bin/nest.js');
