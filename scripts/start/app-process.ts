import { join } from 'node:path';
import { Child } from './child.js';
import { waitFor } from './net.js';
import { PrefixedOutput } from './output.js';
import type { AppName } from './settings.js';

/** One app, run from its build as `node dist/apps/<app>/main.js`, its output prefixed. */
export class AppProcess {
  readonly output: PrefixedOutput;
  private child: Child | undefined;
  private stopping = false;

  constructor(
    readonly name: AppName,
    readonly port: number,
    private readonly root: string,
    private readonly env: NodeJS.ProcessEnv,
    /** Told when the app exits on its own (not stopped by the launcher). */
    private readonly onUnexpectedExit: (app: AppProcess, code: number | null) => void,
  ) {
    this.output = new PrefixedOutput(name);
  }

  get entry(): string {
    return join(this.root, 'dist', 'apps', this.name, 'main.js');
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child?.running ?? false;
  }

  start(): void {
    this.stopping = false;
    const child = Child.spawn(process.execPath, [this.entry], {
      cwd: this.root,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.output.follow(child.stdout);
    this.output.follow(child.stderr);
    void child.exited.then((code) => {
      if (this.child === child && !this.stopping) this.onUnexpectedExit(this, code);
    });
  }

  /** True once `/health/ready` answers 200; false if the app exits or the time runs out. */
  async ready(timeoutMs = 60_000): Promise<boolean> {
    const url = `http://127.0.0.1:${this.port}/health/ready`;
    const ready = await waitFor(
      async () => (await fetch(url, { signal: AbortSignal.timeout(2_000) })).status === 200,
      timeoutMs,
      () => !this.running,
    );
    return ready && this.running;
  }

  /** SIGTERM: the app stops taking messages, finishes those in hand and exits. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    this.stopping = true;
    await this.child?.stop(signal, 20_000);
  }
}
