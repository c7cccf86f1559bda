import { createHash } from 'node:crypto';
import { readFileSync, watch } from 'node:fs';
import { dirname } from 'node:path';

// The bundle and its source map are written one after the other.
const SETTLE_MS = 300;

/**
 * Calls `onChange` when the content of `bundle` changes: a rebuild that writes
 * the same bytes again is no change. Returns a function that stops watching.
 */
export function watchBundle(bundle: string, onChange: () => void): () => void {
  let fingerprint = fingerprintOf(bundle);
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dirname(bundle), () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const next = fingerprintOf(bundle);
      if (next === undefined || next === fingerprint) return;
      fingerprint = next;
      onChange();
    }, SETTLE_MS);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}

function fingerprintOf(file: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}
