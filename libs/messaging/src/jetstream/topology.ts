import {
  consumerName,
  streamOf,
  streams,
  type MessageDefinition,
  type Retention,
  type StreamDefinition,
} from '@app/contracts';
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

const retentionPolicy: Record<Retention, RetentionPolicy> = {
  workqueue: RetentionPolicy.Workqueue,
  limits: RetentionPolicy.Limits,
};

const storageType: Record<StreamDefinition['storage'], StorageType> = {
  file: StorageType.File,
};

/**
 * The contract's streams as JetStream configurations. Only settings that
 * nats-server 2.9 understands, so the same config runs on old and new
 * servers. `replicas` is how many servers of a cluster keep each stream.
 */
export function streamConfigs(
  replicas: number,
): ReadonlyArray<Partial<StreamConfig> & { name: string }> {
  return streams.map((stream) => ({
    name: stream.name,
    subjects: [...stream.subjects],
    retention: retentionPolicy[stream.retention],
    storage: storageType[stream.storage],
    ...(stream.maxAgeMs === undefined ? {} : { max_age: nanos(stream.maxAgeMs) }),
    duplicate_window: nanos(stream.duplicateWindowMs),
    num_replicas: replicas,
  }));
}

/** One durable pull consumer per message an app receives, shared by its replicas. */
export interface Subscription {
  readonly app: string;
  readonly message: MessageDefinition;
  readonly stream: string;
  readonly consumer: string;
}

export function subscriptionFor(app: string, message: MessageDefinition): Subscription {
  if (message.kind === 'command' && message.app !== app) {
    throw new Error(`${message.name} is received by ${message.app}, not by ${app}`);
  }
  return {
    app,
    message,
    stream: streamOf(message),
    consumer: consumerName(app, message),
  };
}

export function consumerConfig(
  subscription: Subscription,
  settings: { ackWaitMs: number; concurrency: number },
): Partial<ConsumerConfig> {
  return {
    durable_name: subscription.consumer,
    // One filter subject per consumer: several need nats-server 2.10.
    filter_subject: subscription.message.subject,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(settings.ackWaitMs),
    // The platform counts attempts itself and dead-letters; the server never gives up.
    max_deliver: -1,
    deliver_policy: DeliverPolicy.All,
    max_ack_pending: Math.max(1_000, settings.concurrency * 4),
  };
}

/** Creates the stream, or brings an existing one to this configuration. */
export async function ensureStream(
  manager: JetStreamManager,
  config: Partial<StreamConfig> & { name: string },
): Promise<void> {
  const existing = await manager.streams.info(config.name).catch(notFoundAsNull);
  if (!existing) {
    await manager.streams.add(config).catch(async (error: unknown) => {
      // Another app created it in the meantime.
      if (!(await manager.streams.info(config.name).catch(notFoundAsNull))) throw error;
    });
    return;
  }
  if (existing.config.retention !== config.retention) {
    throw new Error(
      `stream ${config.name} exists with retention "${existing.config.retention}", expected "${config.retention}"; delete it to let the platform recreate it`,
    );
  }
  await manager.streams.update(config.name, { ...existing.config, ...config });
}

/** Creates the durable consumer, or updates it to this configuration. */
export async function ensureConsumer(
  manager: JetStreamManager,
  stream: string,
  config: Partial<ConsumerConfig> & { durable_name: string },
): Promise<void> {
  const existing = await manager.consumers.info(stream, config.durable_name).catch(notFoundAsNull);
  if (!existing) {
    await manager.consumers.add(stream, config).catch(async (error: unknown) => {
      if (!(await manager.consumers.info(stream, config.durable_name).catch(notFoundAsNull))) {
        throw error;
      }
    });
    return;
  }
  const {
    durable_name: _name,
    deliver_policy: _policy,
    filter_subject: _filter,
    ...changeable
  } = config;
  await manager.consumers.update(stream, config.durable_name, changeable);
}

function notFoundAsNull(error: unknown): null {
  if (error instanceof JetStreamApiError && error.status === 404) return null;
  throw error;
}
