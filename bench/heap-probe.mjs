// Preloaded into every app the bench starts (NODE_OPTIONS=--import, with --expose-gc).
// On SIGUSR2 it runs a full garbage collection and appends the heap still in use
// to <BENCH_HEAP_DIR>/<pid>.jsonl: what the process retains, which RSS (a sawtooth
// between major collections) cannot show over a run shorter than one cycle.
// gc() rather than the inspector's HeapProfiler.collectGarbage, which also shrinks
// the young generation to 1 MiB and so slows the app down for the load that follows.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';

const dir = process.env.BENCH_HEAP_DIR;
if (dir) {
  process.on('SIGUSR2', () => {
    const line =
      typeof globalThis.gc === 'function'
        ? (globalThis.gc(), { heapMb: getHeapStatistics().used_heap_size / 2 ** 20 })
        : { error: 'started without --expose-gc' };
    appendFileSync(join(dir, `${process.pid}.jsonl`), `${JSON.stringify(line)}\n`);
  });
}
