import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { customerAuthProblem, type CustomerAuthSettings } from '@app/http-api';
import {
  loadSigningSettings,
  messagingDefaults,
  SigningKeyProblem,
  type MessagingOptions,
  type SigningSettings,
} from '@app/messaging';
import { transactionsDefaults, type TransactionsOptions } from '@app/transactions';

/** A setting that is missing or wrong: reported as one line at start-up. */
export class ConfigurationError extends Error {}

const positiveInt = z.coerce.number().int().positive();
const port = z.coerce.number().int().min(1).max(65_535);
const MIN_TOKEN_LENGTH = 16;
/** Where the admin port is when ADMIN_PORT is unset: beside the HTTP port, 3001 -> 4001. */
const ADMIN_PORT_OFFSET = 1_000;

/**
 * The settings every app has (listed in docs/running.md, Configuration), with
 * defaults that work on a developer machine.
 */
export function platformEnvironment(app: string, defaultPort: number) {
  return z.object({
    PORT: port.default(defaultPort),
    /** The operator's port (dead letters, metrics); PORT + 1000 when unset. */
    ADMIN_PORT: port.optional(),
    /**
     * The operator's credential on the admin port (`Authorization: Bearer`).
     * Unset (or empty), the admin port listens on 127.0.0.1 only, without one.
     */
    ADMIN_TOKEN: z
      .string()
      .optional()
      .transform((value) => (value === '' ? undefined : value))
      .refine((value) => value === undefined || value.length >= MIN_TOKEN_LENGTH, {
        message: `must be at least ${MIN_TOKEN_LENGTH} characters`,
      }),
    NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
    /** Set where NATS authorisation is on: the app's own user (deploy/nats/auth.conf). */
    NATS_USER: z.string().min(1).optional(),
    NATS_PASSWORD: z.string().optional(),
    DATABASE_URL: z.url().default(`postgres://postgres@127.0.0.1:5432/${app}`),
    /** Connections each replica may open: replicas × this must stay under the server's max_connections. */
    DATABASE_POOL_SIZE: positiveInt.default(20),
    /**
     * How long one statement may run, and wait for a lock, before the
     * database cancels it: a locked table or a stuck query turns into a quick
     * 503 (HTTP) or a held message (consumers), not a request that hangs.
     */
    DATABASE_STATEMENT_TIMEOUT_MS: positiveInt.default(15_000),
    DATABASE_LOCK_TIMEOUT_MS: positiveInt.default(5_000),
    /** Transactions open at once for handlers and requests; work that arrives meanwhile shares the next one. */
    DATABASE_TRANSACTIONS: positiveInt.default(transactionsDefaults.lanes),
    /** Messages or requests one shared transaction takes at most. */
    DATABASE_GROUP_SIZE: positiveInt.default(transactionsDefaults.maxGroup),
    MESSAGING_MAX_ATTEMPTS: positiveInt.default(messagingDefaults.maxAttempts),
    MESSAGING_RETRY_BASE_MS: positiveInt.default(messagingDefaults.retryBaseDelayMs),
    MESSAGING_RETRY_MAX_MS: positiveInt.default(messagingDefaults.retryMaxDelayMs),
    MESSAGING_NEWER_VERSION_DELAY_MS: positiveInt.default(messagingDefaults.newerVersionDelayMs),
    MESSAGING_NEWER_VERSION_DELIVERIES: positiveInt.default(
      messagingDefaults.newerVersionDeliveries,
    ),
    MESSAGING_CONCURRENCY: positiveInt.default(messagingDefaults.concurrency),
    OUTBOX_POLL_MS: positiveInt.default(messagingDefaults.outboxPollMs),
    /** This app's Ed25519 private key (PEM), or `MESSAGING_SIGNING_KEY_FILE`: it signs the commands the app sends. */
    MESSAGING_SIGNING_KEY: z.string().min(1).optional(),
    /** A directory of `<app>.public-key.pem`: commands received are checked against their sender's key. */
    MESSAGING_SENDER_KEYS_DIR: z.string().min(1).optional(),
    /**
     * On SIGTERM, how long HTTP requests in progress may take before their
     * connections are closed: a client stalled mid-body must not hold the
     * drain past the orchestrator's grace period.
     */
    HTTP_DRAIN_MS: positiveInt.default(10_000),
    /** Behind a proxy (gateway, ingress), whom to trust for the client address: Express' `trust proxy`. */
    HTTP_TRUST_PROXY: z.string().default('false'),
    /** Origins allowed to call the HTTP API from a browser; none (CORS off) by default. */
    HTTP_CORS_ORIGINS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean),
      ),
  });
}

export type PlatformEnvironment = z.infer<ReturnType<typeof platformEnvironment>>;

export function readEnvironment<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(withMountedFiles(env));
  if (result.success) {
    checkPoolCoversTransactions(result.data);
    checkCustomerAuth(result.data);
    return result.data;
  }
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigurationError(`invalid configuration: ${problems.join('; ')}`);
}

/**
 * Grouped transactions each hold a pooled connection: the pool needs at least
 * one more, for the outbox relay and the HTTP reads.
 */
function checkPoolCoversTransactions(settings: unknown): void {
  const { DATABASE_POOL_SIZE: pool, DATABASE_TRANSACTIONS: transactions } = settings as {
    DATABASE_POOL_SIZE?: number;
    DATABASE_TRANSACTIONS?: number;
  };
  if (pool !== undefined && transactions !== undefined && transactions >= pool) {
    throw new ConfigurationError(
      `invalid configuration: DATABASE_TRANSACTIONS (${transactions}) must be below DATABASE_POOL_SIZE (${pool})`,
    );
  }
}

/** Customer-facing apps: a key needs its issuer and audience, and must be one the tokens can use. */
function checkCustomerAuth(settings: unknown): void {
  if (
    typeof settings !== 'object' ||
    settings === null ||
    !('AUTH_JWT_CLOCK_TOLERANCE_S' in settings)
  )
    return;
  const problem = customerAuthProblem(settings as CustomerAuthSettings);
  if (problem) throw new ConfigurationError(`invalid configuration: ${problem}`);
}

/** Settings that hold a secret, or a key: each may come from a mounted file instead. */
const SECRETS = [
  'NATS_PASSWORD',
  'DATABASE_URL',
  'AUTH_JWT_PUBLIC_KEY',
  'FLOW_VIEW_DEMO_PRIVATE_KEY',
  'ADMIN_TOKEN',
  'MESSAGING_SIGNING_KEY',
] as const;

/**
 * `NATS_PASSWORD_FILE=/run/secrets/nats` stands for `NATS_PASSWORD=<the
 * file's content>`, so secrets can be mounted files (Docker and Kubernetes
 * secrets) rather than variables.
 */
export function withMountedFiles(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const result = { ...env };
  for (const name of SECRETS) {
    const path = env[`${name}_FILE`];
    if (!path) continue;
    if (env[name] !== undefined) {
      throw new ConfigurationError(`set ${name} or ${name}_FILE, not both`);
    }
    try {
      result[name] = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new ConfigurationError(`${name}_FILE: cannot read ${path}: ${why}`);
    }
  }
  return result;
}

/** Where the operator's port listens, and the credential it asks for. */
export interface AdminSettings {
  readonly port: number;
  /** Undefined: no credential asked for, and only this machine may connect. */
  readonly token: string | undefined;
  /** Undefined: every interface, as the public port. */
  readonly host: string | undefined;
}

export const LOOPBACK = '127.0.0.1';

export function adminSettings(
  env: Pick<PlatformEnvironment, 'PORT' | 'ADMIN_PORT' | 'ADMIN_TOKEN'>,
): AdminSettings {
  const port = env.ADMIN_PORT ?? env.PORT + ADMIN_PORT_OFFSET;
  if (port > 65_535) {
    throw new ConfigurationError(
      `invalid configuration: ADMIN_PORT defaults to PORT + ${ADMIN_PORT_OFFSET} (${port}), beyond 65535: set ADMIN_PORT`,
    );
  }
  if (port === env.PORT) {
    throw new ConfigurationError(
      `invalid configuration: ADMIN_PORT (${port}) must differ from PORT`,
    );
  }
  return operatorPortSettings(port, env.ADMIN_TOKEN);
}

/** A port for operators only: behind the token, or on the loopback interface without one. */
export function operatorPortSettings(port: number, token: string | undefined): AdminSettings {
  return { port, token, host: token === undefined ? LOOPBACK : undefined };
}

export function messagingOptions(app: string, env: PlatformEnvironment): MessagingOptions {
  return {
    app,
    nats: { url: env.NATS_URL, user: env.NATS_USER, password: env.NATS_PASSWORD },
    maxAttempts: env.MESSAGING_MAX_ATTEMPTS,
    retryBaseDelayMs: env.MESSAGING_RETRY_BASE_MS,
    retryMaxDelayMs: env.MESSAGING_RETRY_MAX_MS,
    newerVersionDelayMs: env.MESSAGING_NEWER_VERSION_DELAY_MS,
    newerVersionDeliveries: env.MESSAGING_NEWER_VERSION_DELIVERIES,
    concurrency: env.MESSAGING_CONCURRENCY,
    outboxPollMs: env.OUTBOX_POLL_MS,
    signing: signingSettings(app, env),
  };
}

function signingSettings(app: string, env: PlatformEnvironment): SigningSettings {
  try {
    return loadSigningSettings(app, env.MESSAGING_SIGNING_KEY, env.MESSAGING_SENDER_KEYS_DIR);
  } catch (error) {
    if (error instanceof SigningKeyProblem) {
      throw new ConfigurationError(`invalid configuration: ${error.message}`);
    }
    throw error;
  }
}

export function transactionsOptions(env: PlatformEnvironment): TransactionsOptions {
  return { lanes: env.DATABASE_TRANSACTIONS, maxGroup: env.DATABASE_GROUP_SIZE };
}
