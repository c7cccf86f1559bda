import {
  catalog,
  consumerName,
  deadLetterConsumerName,
  deadLetterSubjectsOf,
  participantNames,
  sentBy,
  Streams,
  streamOf,
  streams,
  subscribedBy,
  type MessageDefinition,
  type Retention,
  type StreamDefinition,
  type StreamName,
} from '@app/contracts';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

/**
 * What a deployment may choose about its streams and consumers; the rest is
 * the wire contract's. Provisioning applies them; apps only find them.
 */
export interface TopologySettings {
  /** Copies of each stream in a NATS cluster (1 on a single server, 3 in production). */
  readonly streamReplicas: number;
  /** How long JetStream waits for an ack before redelivering to another replica. */
  readonly ackWaitMs: number;
  /** Messages a consumer may have delivered and not yet acknowledged. */
  readonly maxAckPending: number;
  /** The most each stream keeps on disk; the contract's default where absent. */
  readonly maxBytes: Partial<Record<StreamName, number>>;
  /** How long a dead letter is kept before JetStream drops it. */
  readonly deadLetterMaxAgeMs: number;
}

export const topologyDefaults: TopologySettings = {
  streamReplicas: 1,
  ackWaitMs: 30_000,
  maxAckPending: 1_000,
  maxBytes: {},
  deadLetterMaxAgeMs: streams.find((stream) => stream.name === 'DEADLETTERS')?.maxAgeMs ?? 0,
};

export type WantedStream = Partial<StreamConfig> & { name: string };
export type WantedConsumer = Partial<ConsumerConfig> & {
  durable_name: string;
  filter_subject: string;
};

/** One durable consumer as provisioning creates it and its app finds it. */
export interface ConsumerDefinition {
  readonly app: string;
  readonly stream: StreamName;
  readonly config: WantedConsumer;
}

/** Every stream and consumer a deployment needs. */
export interface Topology {
  readonly streams: readonly WantedStream[];
  readonly consumers: readonly ConsumerDefinition[];
}

/** An app and the messages it reads: its consumers, and the one its dead letters are read through. */
export interface AppTopology {
  readonly app: string;
  readonly subscriptions: readonly Subscription[];
}

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
 * servers. Full, a stream refuses new messages (`discard: new`) rather than
 * dropping commands or dead letters nobody handled.
 */
export function streamConfigs(settings: TopologySettings = topologyDefaults): WantedStream[] {
  return streams.map((stream) => {
    const maxAgeMs =
      stream.name === 'DEADLETTERS' ? settings.deadLetterMaxAgeMs : (stream.maxAgeMs ?? 0);
    return {
      name: stream.name,
      subjects: [...stream.subjects],
      retention: retentionPolicy[stream.retention],
      storage: storageType[stream.storage],
      max_age: nanos(maxAgeMs),
      max_bytes: settings.maxBytes[stream.name] ?? stream.maxBytes,
      discard: DiscardPolicy.New,
      duplicate_window: nanos(stream.duplicateWindowMs),
      num_replicas: settings.streamReplicas,
    };
  });
}

/** One durable pull consumer per message an app receives, shared by its replicas. */
export interface Subscription {
  readonly app: string;
  readonly message: MessageDefinition;
  readonly stream: StreamName;
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

/** The durable consumers an app of the catalog reads: one per command it receives and per event it subscribes to. */
export function subscriptionsOf(app: string): Subscription[] {
  const commands = catalog.filter((message) => message.kind === 'command' && message.app === app);
  return [...commands, ...subscribedBy(app)].map((message) => subscriptionFor(app, message));
}

function durableConsumer(name: string, filter: string, settings: TopologySettings): WantedConsumer {
  return {
    durable_name: name,
    // One filter subject per consumer: several need nats-server 2.10.
    filter_subject: filter,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(settings.ackWaitMs),
    // The platform counts attempts itself and dead-letters; the server never gives up.
    max_deliver: -1,
    deliver_policy: DeliverPolicy.All,
    max_ack_pending: settings.maxAckPending,
  };
}

export function consumerConfig(
  subscription: Subscription,
  settings: TopologySettings = topologyDefaults,
): WantedConsumer {
  return durableConsumer(subscription.consumer, subscription.message.subject, settings);
}

/** The consumer an app lists and replays its own dead letters through: `dlq.<app>.>` only. */
export function deadLetterConsumer(
  app: string,
  settings: TopologySettings = topologyDefaults,
): ConsumerDefinition {
  return {
    app,
    stream: 'DEADLETTERS',
    config: durableConsumer(deadLetterConsumerName(app), deadLetterSubjectsOf(app), settings),
  };
}

/** The streams, and every consumer of these apps, as provisioning keeps them. */
export function topologyOf(
  apps: readonly AppTopology[],
  settings: TopologySettings = topologyDefaults,
): Topology {
  return {
    streams: streamConfigs(settings),
    consumers: apps.flatMap(({ app, subscriptions }) => [
      ...subscriptions.map((subscription) => ({
        app,
        stream: subscription.stream,
        config: consumerConfig(subscription, settings),
      })),
      deadLetterConsumer(app, settings),
    ]),
  };
}

/** The catalog's whole topology: what `npm run provision:nats` keeps. */
export function catalogTopology(settings: TopologySettings = topologyDefaults): Topology {
  return topologyOf(
    participantNames().map((app) => ({ app, subscriptions: subscriptionsOf(app) })),
    settings,
  );
}

/**
 * The streams an app publishes to. A catalog app publishes its events and the
 * commands it sends; an app outside the catalog (a test's) is taken to
 * publish anywhere.
 */
export function streamsPublishedBy(app: string): StreamName[] {
  if (!participantNames().includes(app)) return [Streams.Commands, Streams.Events];
  const streams: StreamName[] = [];
  if (sentBy(app).length > 0) streams.push(Streams.Commands);
  if (catalog.some((message) => message.kind === 'event' && message.app === app)) {
    streams.push(Streams.Events);
  }
  return streams;
}
