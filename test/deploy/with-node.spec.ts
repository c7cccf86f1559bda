import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './deploy-support.js';

// scripts/ci/with-node.sh as .ci/run calls it; fetching another major needs
// the npm registry, which `.ci/run` exercises on every run.

const SCRIPT = resolve(ROOT, 'scripts/ci/with-node.sh');
const machineMajor = process.versions.node.split('.')[0] ?? '';

/** A cache folder that does not exist: the script creates it only if it fetches a Node. */
const unusedCache = () => join(tmpdir(), `with-node-${randomUUID()}`);

function withNode(args: string[], cache = unusedCache()) {
  return spawnSync(SCRIPT, args, {
    encoding: 'utf8',
    env: { ...process.env, NODE_CACHE_DIR: cache },
  });
}

describe('scripts/ci/with-node.sh', () => {
  it('runs the command with the machine Node when it is of the major asked for, fetching nothing', () => {
    const cache = unusedCache();
    const run = withNode([machineMajor, '--', 'node', '-p', 'process.version'], cache);
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n').at(-1)).toBe(process.version);
    expect(existsSync(cache)).toBe(false);
  });

  it('passes the command exit status on', () => {
    expect(withNode([machineMajor, '--', 'node', '-e', 'process.exit(3)']).status).toBe(3);
  });

  it('refuses a call without a major or without "--", with its usage', () => {
    for (const args of [
      ['--', 'node', '-v'],
      [machineMajor, 'node', '-v'],
      ['x', '--', 'node'],
    ]) {
      const run = withNode(args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/^usage: .*with-node\.sh <major> -- <command>/);
    }
  });
});
