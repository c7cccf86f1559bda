import { z } from 'zod';
import { messagingDefaults, type MessagingOptions } from '@app/messaging';

/** A setting that is missing or wrong: reported as one line at start-up. */
export class ConfigurationError extends Error {}

const positiveInt = z.coerce.number().int().positive();
const port = z.coerce.number().int().min(1).max(65_535);

/** The settings every app has (spec section 6), with defaults that work on a developer machine. */
export function platformEnvironment(app: string, defaultPort: number) {
  return z.object({
    PORT: port.default(defaultPort),
    NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
    DATABASE_URL: z.url().default(`postgres://postgres@127.0.0.1:5432/${app}`),
    MESSAGING_MAX_ATTEMPTS: positiveInt.default(messagingDefaults.maxAttempts),
    MESSAGING_RETRY_BASE_MS: positiveInt.default(messagingDefaults.retryBaseDelayMs),
    MESSAGING_RETRY_MAX_MS: positiveInt.default(messagingDefaults.retryMaxDelayMs),
    MESSAGING_CONCURRENCY: positiveInt.default(messagingDefaults.concurrency),
    MESSAGING_ACK_WAIT_MS: positiveInt.default(messagingDefaults.ackWaitMs),
    OUTBOX_POLL_MS: positiveInt.default(messagingDefaults.outboxPollMs),
    MESSAGING_STREAM_REPLICAS: z.coerce
      .number()
      .int()
      .min(1)
      .max(5)
      .default(messagingDefaults.streamReplicas),
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
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigurationError(`invalid configuration: ${problems.join('; ')}`);
}

export function messagingOptions(app: string, env: PlatformEnvironment): MessagingOptions {
  return {
    app,
    natsUrl: env.NATS_URL,
    maxAttempts: env.MESSAGING_MAX_ATTEMPTS,
    retryBaseDelayMs: env.MESSAGING_RETRY_BASE_MS,
    retryMaxDelayMs: env.MESSAGING_RETRY_MAX_MS,
    concurrency: env.MESSAGING_CONCURRENCY,
    ackWaitMs: env.MESSAGING_ACK_WAIT_MS,
    outboxPollMs: env.OUTBOX_POLL_MS,
    streamReplicas: env.MESSAGING_STREAM_REPLICAS,
  };
}
