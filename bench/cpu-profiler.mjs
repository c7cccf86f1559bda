// Preloaded into an app with NODE_OPTIONS=--import (Node 20 refuses --cpu-prof there):
// profiles the whole life of the process and writes a .cpuprofile when it exits,
// named like --cpu-prof's own files so that cpu-profile.ts finds the pid in it.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  process.once('exit', () => {
    // A session on the main thread answers synchronously, so this still runs before the exit.
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      const stamp = new Date().toISOString().replace(/\D/g, '');
      const file = `CPU.${stamp.slice(0, 8)}.${stamp.slice(8, 14)}.${process.pid}.0.001.cpuprofile`;
      writeFileSync(join(dir, file), JSON.stringify(result.profile));
    });
  });
}
