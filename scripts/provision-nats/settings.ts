import { z } from 'zod';
import {
  topologyDefaults,
  type NatsConnectionSettings,
  type TopologySettings,
} from '@app/messaging';
import { ConfigurationError, withMountedFiles } from '@app/runtime';

const positiveInt = z.coerce.number().int().positive();
const bytes = positiveInt.optional();

/**
 * What `npm run provision:nats` reads (docs/running.md, Provisioning): where
 * NATS is, who it connects as, and the settings a deployment chooses for its
 * streams and consumers.
 */
const schema = z.object({
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  /** `provisioning` where NATS has users (deploy/nats/auth.conf). */
  NATS_USER: z.string().min(1).optional(),
  NATS_PASSWORD: z.string().optional(),
  MESSAGING_STREAM_REPLICAS: z.coerce
    .number()
    .int()
    .min(1)
    .max(5)
    .default(topologyDefaults.streamReplicas),
  MESSAGING_ACK_WAIT_MS: positiveInt.default(topologyDefaults.ackWaitMs),
  MESSAGING_MAX_ACK_PENDING: positiveInt.default(topologyDefaults.maxAckPending),
  MESSAGING_COMMANDS_MAX_BYTES: bytes,
  MESSAGING_EVENTS_MAX_BYTES: bytes,
  MESSAGING_DEADLETTERS_MAX_BYTES: bytes,
  MESSAGING_DEADLETTERS_MAX_AGE_MS: positiveInt.default(topologyDefaults.deadLetterMaxAgeMs),
});

export interface ProvisioningSettings {
  readonly nats: NatsConnectionSettings;
  readonly topology: TopologySettings;
}

export function provisioningSettings(env: NodeJS.ProcessEnv = process.env): ProvisioningSettings {
  const result = schema.safeParse(withMountedFiles(env));
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new ConfigurationError(`invalid configuration: ${problems.join('; ')}`);
  }
  const settings = result.data;
  const maxBytes = {
    COMMANDS: settings.MESSAGING_COMMANDS_MAX_BYTES,
    EVENTS: settings.MESSAGING_EVENTS_MAX_BYTES,
    DEADLETTERS: settings.MESSAGING_DEADLETTERS_MAX_BYTES,
  };
  return {
    nats: { url: settings.NATS_URL, user: settings.NATS_USER, password: settings.NATS_PASSWORD },
    topology: {
      streamReplicas: settings.MESSAGING_STREAM_REPLICAS,
      ackWaitMs: settings.MESSAGING_ACK_WAIT_MS,
      maxAckPending: settings.MESSAGING_MAX_ACK_PENDING,
      maxBytes: Object.fromEntries(
        Object.entries(maxBytes).filter(([, value]) => value !== undefined),
      ),
      deadLetterMaxAgeMs: settings.MESSAGING_DEADLETTERS_MAX_AGE_MS,
    },
  };
}
