import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** A process the launcher started, in a process group of its own so Ctrl-C reaches only the launcher. */
export class Child {
  readonly exited: Promise<number | null>;
  private ended = false;

  private constructor(private readonly process: ChildProcess) {
    this.exited = new Promise((resolve) => {
      const end = (code: number | null) => {
        this.ended = true;
        resolve(code);
      };
      process.once('exit', end);
      // A command that cannot be run at all (missing, not executable) never exits.
      process.once('error', () => end(null));
    });
  }

  static spawn(command: string, args: readonly string[], options: SpawnOptions = {}): Child {
    return new Child(spawn(command, args, { stdio: 'ignore', ...options, detached: true }));
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get stdout() {
    return this.process.stdout;
  }

  get stderr() {
    return this.process.stderr;
  }

  get running(): boolean {
    return !this.ended;
  }

  /** Sends `signal`, then SIGKILL if it has not exited after `graceMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
    if (!this.running) return;
    this.process.kill(signal);
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
