/**
 * `npm run test:flows`: the business flows against a running deployment,
 * through its public HTTP APIs only. Targets and options: docs/flows.md.
 *
 *   npm run test:flows                      every flow the target allows
 *   npm run test:flows -- --smoke           the quick post-deploy check
 *   npm run test:flows -- --junit out.xml   also a JUnit report for CI
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { targetFromEnvironment } from '../../test/flows/target.js';
import { unreachableServices } from './reachability.js';

const ROOT = resolve(import.meta.dirname, '../..');

interface Options {
  readonly smoke: boolean;
  readonly junit?: string;
  readonly vitestArgs: string[];
}

function parse(args: readonly string[]): Options {
  let smoke = false;
  let junit: string | undefined;
  const vitestArgs: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--smoke') smoke = true;
    else if (arg === '--junit') {
      junit = args[++i];
      if (!junit) usage('--junit needs a file name');
    } else if (arg === '--help' || arg === '-h') usage();
    else vitestArgs.push(arg);
  }
  return { smoke, junit, vitestArgs };
}

function usage(problem?: string): never {
  if (problem) console.error(`test:flows: ${problem}`);
  console.error('usage: npm run test:flows -- [--smoke] [--junit <file>] [vitest options]');
  process.exit(problem ? 2 : 0);
}

const options = parse(process.argv.slice(2));
let target;
try {
  target = targetFromEnvironment(process.env);
} catch (error) {
  usage((error as Error).message);
}
// Nothing answering at all is one clear line; a single service down is what
// the flows are for: they name the step that never happened.
const unreachable = await unreachableServices(target);
for (const line of unreachable) console.error(`test:flows: ${line}`);
if (unreachable.length === 4) {
  console.error(
    'test:flows: start the platform (npm start, docker compose up) or point FLOWS_*_URL at it',
  );
  process.exit(1);
}

const vitest = join(
  dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
);
const reporters = [
  '--reporter=default',
  `--reporter=${join(ROOT, 'test/flows/summary-reporter.ts')}`,
];
if (options.junit)
  reporters.push('--reporter=junit', `--outputFile.junit=${resolve(options.junit)}`);
const child = spawn(
  process.execPath,
  [vitest, 'run', '--project', 'flows', ...reporters, ...options.vitestArgs],
  {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, FLOWS_SMOKE: options.smoke ? '1' : '' },
  },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
