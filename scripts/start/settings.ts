import { resolve } from 'node:path';
import { customerAuthMode, type CustomerAuthMode } from './customer-auth.js';
import { LaunchError } from './launch-error.js';

/** The services, each with a database of its own. */
export const APPS = ['orders', 'payments', 'shipping', 'notifications'] as const;
export type ServiceName = (typeof APPS)[number];

/** The live view of their messages: no database, it watches NATS. */
export const FLOW_VIEW = 'flow-view';
export type AppName = ServiceName | typeof FLOW_VIEW;
/** Everything npm start runs, in the order it starts them. */
export const LAUNCHED: readonly AppName[] = [...APPS, FLOW_VIEW];

const DEFAULT_APP_PORTS: Record<AppName, number> = {
  orders: 3001,
  payments: 3002,
  shipping: 3003,
  notifications: 3004,
  'flow-view': 3005,
};

export interface LaunchSettings {
  readonly root: string;
  /** Where the servers the launcher starts keep their data. */
  readonly dataDir: string;
  /** NATS given by the developer; otherwise the one on `natsPort`, reused or started. */
  readonly natsUrl: string | undefined;
  readonly natsPort: number;
  readonly natsServerBin: string | undefined;
  /** PostgreSQL given by the developer (each app gets a database of its own name there). */
  readonly databaseUrl: string | undefined;
  readonly postgresPort: number;
  /** Directory of initdb/pg_ctl, or 'none' for the embedded PostgreSQL (PGlite). */
  readonly postgresBinaries: string | undefined;
  readonly appPorts: Record<AppName, number>;
  /** Each service's admin port (dead letters, metrics): `ORDERS_ADMIN_PORT`, or its port + 1000. */
  readonly adminPorts: Record<ServiceName, number>;
  /** Per-app DATABASE_URL overrides (`ORDERS_DATABASE_URL`, ...). */
  readonly appDatabaseUrls: Partial<Record<ServiceName, string>>;
  /** Customer tokens: the demo key pair, the developer's own AUTH_* settings, or none. */
  readonly customerAuth: CustomerAuthMode;
  readonly watch: boolean;
}

export function readSettings(argv: readonly string[], env: NodeJS.ProcessEnv): LaunchSettings {
  const unknown = argv.filter((arg) => arg !== '--watch');
  if (unknown.length > 0) throw new LaunchError(`unknown option ${unknown[0]}: only --watch`);
  const root = resolve(import.meta.dirname, '..', '..');
  const appPorts = Object.fromEntries(
    LAUNCHED.map((app) => [app, port(env, appVariable(app, 'PORT'), DEFAULT_APP_PORTS[app])]),
  ) as Record<AppName, number>;
  const adminPorts = Object.fromEntries(
    APPS.map((app) => [app, port(env, appVariable(app, 'ADMIN_PORT'), appPorts[app] + 1_000)]),
  ) as Record<ServiceName, number>;
  const appDatabaseUrls = Object.fromEntries(
    APPS.flatMap((app) => {
      const url = env[appVariable(app, 'DATABASE_URL')];
      return url ? [[app, url]] : [];
    }),
  );
  return {
    root,
    dataDir: resolve(root, env.START_DATA_DIR || '.local'),
    natsUrl: env.NATS_URL || undefined,
    natsPort: port(env, 'START_NATS_PORT', 4222),
    natsServerBin: env.START_NATS_SERVER || undefined,
    databaseUrl: databaseUrl(env.DATABASE_URL),
    postgresPort: port(env, 'START_POSTGRES_PORT', 5432),
    postgresBinaries: env.START_POSTGRES_BINARIES || undefined,
    appPorts,
    adminPorts,
    appDatabaseUrls,
    customerAuth: customerAuthMode(env),
    watch: argv.includes('--watch'),
  };
}

/** The launcher's setting for one app: `ORDERS_PORT`, `GIFT_CARDS_DATABASE_URL`. */
export function appVariable(app: AppName, name: string): string {
  return `${app.toUpperCase().replaceAll('-', '_')}_${name}`;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65_535) {
    throw new LaunchError(`${name} must be a port number (1-65535), not "${value}"`);
  }
  return parsed;
}

function databaseUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (!URL.canParse(value) || !new URL(value).protocol.startsWith('postgres')) {
    throw new LaunchError(`DATABASE_URL must be a postgres:// URL, not "${value}"`);
  }
  return value;
}

/** Each app owns a database named after it, on the server the URL points at. */
export function databaseUrlFor(serverUrl: string, app: ServiceName): string {
  const url = new URL(serverUrl);
  url.pathname = `/${app}`;
  return url.toString();
}
