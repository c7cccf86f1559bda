import {
  ALL_COMMANDS,
  ALL_DEAD_LETTERS,
  ALL_EVENTS,
  catalog,
  deadLetterSubjectsOf,
  sentBy,
  Streams,
} from '@app/contracts';
import { inboxPrefixOf } from './nats-connection.js';
import { deadLetterConsumer, streamsPublishedBy, subscriptionsOf } from './topology.js';

/** What one NATS user may publish and subscribe to (nats-server `permissions`). */
export interface NatsPermissions {
  readonly publish: { readonly allow: readonly string[] };
  readonly subscribe: { readonly allow: readonly string[] };
}

/** The user `npm run provision:nats` connects as: it alone creates and changes streams and consumers. */
export const PROVISIONING_USER = 'provisioning';
/** The user of nats-box and dashboards: it looks, and changes nothing. */
export const MONITORING_USER = 'monitoring';

/**
 * Apps that watch every command and event go by, and take part in none: the
 * live view of the message flow. They subscribe on core NATS, so they need no
 * JetStream API, no inbox, and may publish nothing.
 */
const FLOW_OBSERVERS: ReadonlySet<string> = new Set(['flow-view']);

const API = '$JS.API';

/**
 * Least privilege, derived from the catalog. An app publishes its own events,
 * the commands it sends and its own dead letters, nothing else. On JetStream
 * it may read the information of the streams it uses and of its own
 * consumers, pull from them and acknowledge what they delivered; nothing
 * creates, changes or deletes a stream or a consumer. Its dead letters are
 * read, and deleted (acknowledged once replayed), through its own consumer on
 * DEADLETTERS, which filters `dlq.<app>.>`. Replies reach it under its own
 * inbox prefix.
 */
export function natsPermissions(app: string): NatsPermissions {
  if (FLOW_OBSERVERS.has(app)) {
    return { publish: { allow: [] }, subscribe: { allow: [ALL_COMMANDS, ALL_EVENTS] } };
  }
  const ownEvents = catalog
    .filter((message) => message.kind === 'event' && message.app === app)
    .map((event) => event.subject);
  const subscriptions = subscriptionsOf(app);
  const consumers = [
    ...subscriptions.map(({ stream, consumer }) => ({ stream, consumer })),
    (({ stream, config }) => ({ stream, consumer: config.durable_name }))(deadLetterConsumer(app)),
  ];
  const streams = [
    ...new Set([...subscriptions.map(({ stream }) => stream), ...streamsPublishedBy(app)]),
  ];
  return {
    publish: {
      allow: [
        ...ownEvents,
        ...sentBy(app).map((command) => command.subject),
        deadLetterSubjectsOf(app),
        `${API}.INFO`,
        ...streams.map((stream) => `${API}.STREAM.INFO.${stream}`),
        ...consumers.flatMap(({ stream, consumer }) => [
          `${API}.CONSUMER.INFO.${stream}.${consumer}`,
          `${API}.CONSUMER.MSG.NEXT.${stream}.${consumer}`,
          `$JS.ACK.${stream}.${consumer}.>`,
        ]),
      ],
    },
    subscribe: { allow: [`${inboxPrefixOf(app)}.>`] },
  };
}

/** Seeing every stream and consumer and its configuration: what provisioning and monitoring share. */
const READ_TOPOLOGY = [
  `${API}.INFO`,
  `${API}.STREAM.NAMES`,
  `${API}.STREAM.LIST`,
  `${API}.STREAM.INFO.*`,
  `${API}.CONSUMER.NAMES.*`,
  `${API}.CONSUMER.LIST.*`,
  `${API}.CONSUMER.INFO.*.*`,
];

/**
 * Provisioning manages streams and consumers, and nothing else: it publishes
 * no message, reads none, and cannot purge a stream or delete a message. It
 * deletes a stream only where its retention must change and it is empty.
 */
export function provisioningPermissions(): NatsPermissions {
  return {
    publish: {
      allow: [
        ...READ_TOPOLOGY,
        `${API}.STREAM.CREATE.*`,
        `${API}.STREAM.UPDATE.*`,
        `${API}.STREAM.DELETE.*`,
        `${API}.CONSUMER.CREATE.*.>`,
        `${API}.CONSUMER.DURABLE.CREATE.*.*`,
        `${API}.CONSUMER.DELETE.*.*`,
        // Commands no consumer takes are moved to the dead letters: read, stored, removed.
        `${API}.STREAM.MSG.GET.${Streams.Commands}`,
        `${API}.STREAM.MSG.DELETE.${Streams.Commands}`,
        ALL_DEAD_LETTERS,
      ],
    },
    subscribe: { allow: [`${inboxPrefixOf(PROVISIONING_USER)}.>`] },
  };
}

/**
 * Monitoring reads: stream and consumer information and lists, and one
 * stored message at a time for inspection. It creates no consumer (so it
 * cannot take a message from a work queue), and publishes nothing.
 */
export function monitoringPermissions(): NatsPermissions {
  return {
    publish: {
      allow: [...READ_TOPOLOGY, `${API}.STREAM.MSG.GET.*`],
    },
    subscribe: { allow: [`${inboxPrefixOf(MONITORING_USER)}.>`] },
  };
}

/** The permissions of any NATS user the platform defines. */
export function permissionsOf(user: string): NatsPermissions {
  if (user === PROVISIONING_USER) return provisioningPermissions();
  if (user === MONITORING_USER) return monitoringPermissions();
  return natsPermissions(user);
}
