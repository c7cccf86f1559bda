import { existsSync } from 'node:fs';
import { catalogTopology, provisionNats } from '@app/messaging';
import { AppProcess } from './app-process.js';
import { banner } from './banner.js';
import { BuildWatcher } from './build-watcher.js';
import { demoSigningEnvironment } from '../signing-keys/demo-keys.js';
import { flowViewAuthEnvironment, serviceAuthEnvironment } from './customer-auth.js';
import type { Service } from './infrastructure.js';
import { LaunchError, messageOf } from './launch-error.js';
import { provideNats } from './nats.js';
import { isListening } from './net.js';
import { launcherOutput, PrefixedOutput } from './output.js';
import { providePostgres } from './postgres.js';
import {
  appVariable,
  databaseUrlFor,
  FLOW_VIEW,
  LAUNCHED,
  type AppName,
  type LaunchSettings,
} from './settings.js';

/** Brings up NATS, PostgreSQL, the four apps and the flow view; takes down all it brought up, apps first. */
export class Launcher {
  private readonly services: Service[] = [];
  private apps: AppProcess[] = [];
  private watcher: BuildWatcher | undefined;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private up = false;

  constructor(
    private readonly settings: LaunchSettings,
    /** Called when an app dies while the platform runs (not in watch mode). */
    private readonly onAppFailure: (line: string) => void,
  ) {}

  start(): Promise<void> {
    this.starting ??= this.bringUp();
    return this.starting;
  }

  private async bringUp(): Promise<void> {
    await this.checkApps();
    const nats = this.keep(await provideNats(this.settings));
    const postgres = this.keep(await providePostgres(this.settings));
    await provision(nats.url);
    this.apps = LAUNCHED.map(
      (name) =>
        new AppProcess(
          name,
          this.settings.appPorts[name],
          this.settings.root,
          this.appEnvironment(name, nats, postgres),
          (app, code) => this.onExit(app, code),
        ),
    );
    // Together: provisioning made what they need, and each migrates its own database.
    await this.startApps(this.apps);
    if (this.stopping) return;
    if (this.settings.watch) {
      this.watcher = new BuildWatcher(this.settings.root, this.apps, (line) =>
        launcherOutput.line(line),
      );
      this.watcher.start();
    }
    process.stdout.write(
      banner({
        apps: this.apps,
        adminPorts: this.settings.adminPorts,
        nats,
        postgres,
        watch: this.settings.watch,
        customerAuth: this.settings.customerAuth,
      }) + '\n',
    );
    this.up = true;
  }

  /**
   * Idempotent: apps first (each drains its messages), then the servers
   * started here, including one still starting when the signal came.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.watcher?.stop();
      await Promise.all(this.apps.map((app) => app.stop()));
      await this.starting?.catch(() => undefined);
      for (const service of [...this.services].reverse()) await service.stop();
    })();
    return this.stopping;
  }

  /** Remembers a server so that stop() stops it, even one that came up after stop() began. */
  private keep(service: Service): Service {
    this.services.push(service);
    if (this.stopping) throw new LaunchError('stopped while starting');
    return service;
  }

  /** Whether anything is left to stop: an app or a server started here. */
  get startedAnything(): boolean {
    return (
      this.apps.some((app) => app.pid !== undefined) ||
      this.services.some((service) => service.origin === 'started')
    );
  }

  /** A second Ctrl-C: the apps go at once, without draining. */
  async killApps(): Promise<void> {
    await Promise.all(this.apps.map((app) => app.stop('SIGKILL')));
  }

  private async checkApps(): Promise<void> {
    for (const name of LAUNCHED) {
      const entry = `dist/apps/${name}/main.js`;
      if (!existsSync(`${this.settings.root}/${entry}`)) {
        throw new LaunchError(`${entry} is missing: run "npm run build" first (npm start does)`);
      }
      const port = this.settings.appPorts[name];
      if (await isListening(port)) {
        throw new LaunchError(
          `port ${port} for ${name} is taken: stop what listens there or set ${appVariable(name, 'PORT')}`,
        );
      }
      const admin = name === FLOW_VIEW ? undefined : this.settings.adminPorts[name];
      if (admin !== undefined && (await isListening(admin))) {
        throw new LaunchError(
          `admin port ${admin} for ${name} is taken: stop what listens there or set ${appVariable(name, 'ADMIN_PORT')}`,
        );
      }
    }
  }

  private async startApps(apps: readonly AppProcess[]): Promise<void> {
    if (this.stopping) return;
    for (const app of apps) app.start();
    const ready = await Promise.all(apps.map((app) => app.ready()));
    const failed = apps.filter((_, index) => !ready[index]);
    if (failed.length > 0) {
      const names = failed.map((app) => app.name).join(', ');
      throw new LaunchError(`${names} did not start: the lines above say why`);
    }
  }

  private appEnvironment(name: AppName, nats: Service, postgres: Service): NodeJS.ProcessEnv {
    const common = {
      ...process.env,
      LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty',
      ...(process.stdout.isTTY && !process.env.NO_COLOR ? { FORCE_COLOR: '1' } : {}),
      PORT: String(this.settings.appPorts[name]),
      NATS_URL: nats.url,
    };
    if (name === FLOW_VIEW) {
      // Its form places orders through the orders app started here.
      return {
        ...common,
        FLOW_VIEW_ORDERS_URL: `http://127.0.0.1:${this.settings.appPorts.orders}`,
        ...flowViewAuthEnvironment(this.settings.customerAuth),
      };
    }
    return {
      ...common,
      ADMIN_PORT: String(this.settings.adminPorts[name]),
      DATABASE_URL: this.settings.appDatabaseUrls[name] ?? databaseUrlFor(postgres.url, name),
      ...serviceAuthEnvironment(this.settings.customerAuth),
      // Commands signed and checked as in production, unless the environment names keys of its own.
      ...(process.env.MESSAGING_SENDER_KEYS_DIR ? {} : demoSigningEnvironment(name)),
    };
  }

  private onExit(app: AppProcess, code: number | null): void {
    // Before the banner, start() itself reports an app that did not come up.
    if (this.stopping || !this.up) return;
    const how = code === null ? 'was killed' : `exited with code ${code}`;
    if (this.settings.watch) {
      launcherOutput.line(`${app.name} ${how}: it starts again once a change rebuilds it`);
      return;
    }
    this.onAppFailure(`${app.name} ${how}: stopping everything`);
  }
}

/**
 * What `npm run provision:nats` does, before any app starts: the apps only
 * look for their streams and consumers. Quiet when nothing changes.
 */
async function provision(url: string): Promise<void> {
  const output = new PrefixedOutput('provision');
  try {
    await provisionNats({ url }, catalogTopology(), (line) => output.line(line));
  } catch (error) {
    throw new LaunchError(`cannot provision NATS at ${url}: ${messageOf(error)}`);
  }
}
