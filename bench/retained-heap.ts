import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const PROBE = fileURLToPath(new URL('./heap-probe.mjs', import.meta.url));

/**
 * Node options that make a process answer SIGUSR2 with the heap it keeps after
 * a full collection (the path quoted: NODE_OPTIONS splits on spaces).
 */
export const HEAP_PROBE_OPTIONS = `--expose-gc --import="${PROBE}"`;

/**
 * The heap a process started with HEAP_PROBE_OPTIONS (and BENCH_HEAP_DIR=`dir`) still
 * uses after a full garbage collection, in MiB; undefined if it does not
 * answer within `timeoutMs`.
 */
export async function retainedHeapMb(
  pid: number,
  dir: string,
  timeoutMs = 10_000,
): Promise<number | undefined> {
  const file = join(dir, `${pid}.jsonl`);
  const before = linesOf(file).length;
  try {
    process.kill(pid, 'SIGUSR2');
  } catch {
    return undefined;
  }
  for (let waited = 0; waited < timeoutMs; waited += 20) {
    const lines = linesOf(file);
    if (lines.length > before) {
      return (JSON.parse(lines[lines.length - 1] as string) as { heapMb?: number }).heapMb;
    }
    await sleep(20);
  }
  return undefined;
}

function linesOf(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}
