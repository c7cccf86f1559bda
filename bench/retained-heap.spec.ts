import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HEAP_PROBE_OPTIONS, retainedHeapMb } from './retained-heap.js';

// A process that keeps about 40 MiB of small objects on "keep" and lets them go on "drop".
const HOLDER = `
let kept = [];
process.stdin.setEncoding('utf8').on('data', (command) => {
  kept = command.trim() === 'keep'
    ? Array.from({ length: 400_000 }, (_, i) => ({ i, label: 'object number ' + i }))
    : [];
  process.stdout.write('done\\n');
});
process.stdout.write('ready\\n');
`;

describe(retainedHeapMb.name, () => {
  let child: ChildProcess | undefined;
  let dir: string | undefined;

  afterEach(() => {
    child?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function startHolder(): Promise<(command: string) => Promise<void>> {
    dir = mkdtempSync(join(tmpdir(), 'heap-probe-'));
    child = spawn(process.execPath, ['-e', HOLDER], {
      env: { ...process.env, NODE_OPTIONS: HEAP_PROBE_OPTIONS, BENCH_HEAP_DIR: dir },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = child.stdout?.setEncoding('utf8');
    const nextLine = () => new Promise<void>((resolve) => lines?.once('data', () => resolve()));
    await nextLine();
    return async (command) => {
      const done = nextLine();
      child?.stdin?.write(`${command}\n`);
      await done;
    };
  }

  it('counts what a process keeps and not the garbage it left, without waiting for V8 to collect', async () => {
    const send = await startHolder();
    const pid = child?.pid as number;
    const empty = (await retainedHeapMb(pid, dir as string)) as number;
    await send('keep');
    const keeping = (await retainedHeapMb(pid, dir as string)) as number;
    await send('drop');
    const dropped = (await retainedHeapMb(pid, dir as string)) as number;

    expect(keeping - empty).toBeGreaterThan(30);
    // Unreachable since "drop", in the old generation since the last probe: only a full collection frees it.
    expect(dropped - empty).toBeLessThan(5);
  });

  it('gives up on a process that has no probe', async () => {
    dir = mkdtempSync(join(tmpdir(), 'heap-probe-'));
    child = spawn(process.execPath, [
      '-e',
      'process.on("SIGUSR2", () => {}); setInterval(() => {}, 1000)',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await retainedHeapMb(child.pid as number, dir, 200)).toBeUndefined();
  });
});
