import {
  ALL_COMMANDS,
  ALL_DEAD_LETTERS,
  ALL_EVENTS,
  type MessageDefinition,
} from '../message-definition.js';

/** The JetStream streams every message is stored in. */
export const Streams = {
  Commands: 'COMMANDS',
  Events: 'EVENTS',
  DeadLetters: 'DEADLETTERS',
} as const;

export type StreamName = (typeof Streams)[keyof typeof Streams];

/**
 * JetStream's retention policies, as it spells them: `workqueue` deletes a
 * message once a consumer acknowledged it; `limits` keeps it until its age
 * (or the stream's size limits) removes it, whoever read it.
 */
export type Retention = 'workqueue' | 'limits';

/** A stream as every app must find it. Durations in milliseconds. */
export interface StreamDefinition {
  readonly name: StreamName;
  readonly subjects: readonly string[];
  readonly retention: Retention;
  /** On disk: a server restart loses nothing. */
  readonly storage: 'file';
  /** How long a message is kept at most; absent, no limit. A deployment may set its own. */
  readonly maxAgeMs?: number;
  /**
   * The most the stream keeps on disk, unless a deployment sets its own. Once
   * full it refuses new messages rather than dropping stored ones: publishers
   * keep theirs (in their outbox) until there is room again.
   */
  readonly maxBytes: number;
  /** A re-publication with the same `Nats-Msg-Id` within this window is dropped. */
  readonly duplicateWindowMs: number;
  readonly purpose: string;
}

export const DUPLICATE_WINDOW_MS = 2 * 60_000;
export const EVENT_RETENTION_MS = 7 * 24 * 60 * 60_000;
export const DEAD_LETTER_RETENTION_MS = 30 * 24 * 60 * 60_000;
const MiB = 1024 * 1024;

export const streams: readonly StreamDefinition[] = [
  {
    name: Streams.Commands,
    subjects: [ALL_COMMANDS],
    retention: 'workqueue',
    storage: 'file',
    maxBytes: 256 * MiB,
    duplicateWindowMs: DUPLICATE_WINDOW_MS,
    purpose:
      'one durable consumer per command type, shared by the replicas of its receiving app; a command is deleted once acknowledged.',
  },
  {
    name: Streams.Events,
    subjects: [ALL_EVENTS],
    retention: 'limits',
    storage: 'file',
    maxAgeMs: EVENT_RETENTION_MS,
    maxBytes: 1024 * MiB,
    duplicateWindowMs: DUPLICATE_WINDOW_MS,
    purpose:
      'one durable consumer per (subscribing app, event type), shared by that app’s replicas; events stay for replay.',
  },
  {
    name: Streams.DeadLetters,
    subjects: [ALL_DEAD_LETTERS],
    retention: 'workqueue',
    storage: 'file',
    maxAgeMs: DEAD_LETTER_RETENTION_MS,
    maxBytes: 256 * MiB,
    duplicateWindowMs: DUPLICATE_WINDOW_MS,
    purpose:
      'messages a consumer gave up on, with why; read by their app through one consumer of its own (`<app>-dead-letters`), deleted once replayed, dropped after 30 days.',
  },
];

/** The stream a message is stored in: COMMANDS for a command, EVENTS for an event. */
export function streamOf(message: MessageDefinition): StreamName {
  return message.kind === 'command' ? Streams.Commands : Streams.Events;
}

/**
 * The durable consumer an app reads a message through, `<app>-<MessageName>`:
 * one per (app, message), shared by the app's replicas, so each replica gets
 * a share of the messages and each subscribing app gets every event.
 */
export function consumerName(app: string, message: MessageDefinition): string {
  return `${app}-${message.name}`;
}

/**
 * The consumer an app reads its own dead letters through, filtered on
 * `dlq.<app>.>`: listing and replaying go through it, so an app needs no
 * right on another app's letters.
 */
export function deadLetterConsumerName(app: string): string {
  return `${app}-dead-letters`;
}
