import {
  ALL_COMMANDS,
  ALL_EVENTS,
  catalog,
  deadLetterSubjectsOf,
  sentBy,
  Streams,
  subscribedBy,
} from '@app/contracts';
import { inboxPrefixOf } from './nats-connection.js';
import { subscriptionFor, type Subscription } from './topology.js';

/** What one app's NATS user may publish and subscribe to (nats-server `permissions`). */
export interface NatsPermissions {
  readonly publish: { readonly allow: readonly string[] };
  readonly subscribe: { readonly allow: readonly string[] };
}

/**
 * Apps that watch every command and event go by, and take part in none: the
 * live view of the message flow. They subscribe on core NATS, so they need no
 * JetStream API, no inbox, and may publish nothing.
 */
const FLOW_OBSERVERS: ReadonlySet<string> = new Set(['flow-view']);

/** The durable consumers an app reads: one per command it receives and per event it subscribes to. */
export function subscriptionsOf(app: string): Subscription[] {
  const commands = catalog.filter((message) => message.kind === 'command' && message.app === app);
  return [...commands, ...subscribedBy(app)].map((message) => subscriptionFor(app, message));
}

/**
 * Least privilege, derived from the catalog: an app publishes its own events,
 * the commands it sends and its own dead letters, nothing else; it may drive
 * only its own consumers; replies reach it under its own inbox prefix.
 * Streams may be created and updated by every app, since each provisions them
 * at start-up.
 */
export function natsPermissions(app: string): NatsPermissions {
  if (FLOW_OBSERVERS.has(app)) {
    return { publish: { allow: [] }, subscribe: { allow: [ALL_COMMANDS, ALL_EVENTS] } };
  }
  const api = '$JS.API';
  const ownEvents = catalog
    .filter((message) => message.kind === 'event' && message.app === app)
    .map((event) => event.subject);
  const streams = Object.values(Streams).flatMap((stream) =>
    ['INFO', 'CREATE', 'UPDATE'].map((action) => `${api}.STREAM.${action}.${stream}`),
  );
  const consumers = subscriptionsOf(app).flatMap(({ stream, consumer }) => [
    `${api}.CONSUMER.INFO.${stream}.${consumer}`,
    `${api}.CONSUMER.CREATE.${stream}.${consumer}`,
    `${api}.CONSUMER.CREATE.${stream}.${consumer}.>`,
    `${api}.CONSUMER.DURABLE.CREATE.${stream}.${consumer}`,
    `${api}.CONSUMER.MSG.NEXT.${stream}.${consumer}`,
    `$JS.ACK.${stream}.${consumer}.>`,
  ]);
  // Listing dead letters reads them through a short-lived consumer of the app's own.
  const deadLetters = Streams.DeadLetters;
  const deadLetterReading = [
    `${api}.CONSUMER.CREATE.${deadLetters}.*`,
    `${api}.CONSUMER.CREATE.${deadLetters}.*.>`,
    `${api}.CONSUMER.INFO.${deadLetters}.*`,
    `${api}.CONSUMER.DELETE.${deadLetters}.*`,
    `${api}.CONSUMER.MSG.NEXT.${deadLetters}.*`,
    `${api}.STREAM.MSG.GET.${deadLetters}`,
    `${api}.STREAM.MSG.DELETE.${deadLetters}`,
  ];
  return {
    publish: {
      allow: [
        ...ownEvents,
        ...sentBy(app).map((command) => command.subject),
        deadLetterSubjectsOf(app),
        `${api}.INFO`,
        ...streams,
        ...consumers,
        ...deadLetterReading,
      ],
    },
    subscribe: {
      allow: [`${inboxPrefixOf(app)}.>`],
    },
  };
}
