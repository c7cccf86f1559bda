import { join } from 'node:path';
import type { AppProcess } from './app-process.js';
import { watchBundle } from './bundle-watch.js';
import { Child } from './child.js';
import { PrefixedOutput } from './output.js';

// Blank lines and the line announcing each rebuild: the result line follows anyway.
const BUILD_NOISE = /^\s*$|is building your sources/;

/**
 * `nest build --watch` for the apps; when an app's bundle changes, that
 * app alone restarts. A change in a lib changes the bundle of every app using
 * it, so those restart too; a change that leaves a bundle as it was restarts nothing.
 */
export class BuildWatcher {
  private readonly unwatch: (() => void)[] = [];
  private readonly output = new PrefixedOutput('build');
  private build: Child | undefined;
  private stopped = false;

  constructor(
    private readonly root: string,
    private readonly apps: readonly AppProcess[],
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    const nest = join(this.root, 'node_modules', '.bin', 'nest');
    this.build = Child.spawn(nest, ['build', ...this.apps.map((app) => app.name), '--watch'], {
      cwd: this.root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.output.follow(this.build.stdout, BUILD_NOISE);
    this.output.follow(this.build.stderr, BUILD_NOISE);
    for (const app of this.apps) this.watchBundle(app);
  }

  private watchBundle(app: AppProcess): void {
    let restarting = Promise.resolve();
    this.unwatch.push(
      watchBundle(app.entry, () => {
        restarting = restarting.then(() => this.restart(app));
      }),
    );
  }

  private async restart(app: AppProcess): Promise<void> {
    this.log(`${app.name} was rebuilt: restarting it`);
    await app.stop();
    // Stopping the platform meanwhile: the app stays down with the rest.
    if (this.stopped) return;
    app.start();
    if (await app.ready()) this.log(`${app.name} is ready again on http://localhost:${app.port}`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const stop of this.unwatch) stop();
    await this.build?.stop();
  }
}
