import type { NatsConnectionSettings } from './jetstream/nats-connection.js';
import type { SigningSettings } from './signing/command-signatures.js';

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingOptions {
  /** The app's name: the durable consumers and dead-letter subjects are named after it. */
  readonly app: string;
  readonly nats: NatsConnectionSettings;
  /** Attempts per message before it goes to the dead letters (5 by default). */
  readonly maxAttempts: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  /**
   * A message of a version newer than the consumer knows is handed back this
   * long, so a newer replica sharing the consumer can take it...
   */
  readonly newerVersionDelayMs: number;
  /** ...until it has been delivered this many times: then it is dead-lettered, to replay after upgrading. */
  readonly newerVersionDeliveries: number;
  /** Messages one consumer handles at once; also its pull batch size. */
  readonly concurrency: number;
  /** Safety-net poll of the outbox; committed transactions wake the relay at once. */
  readonly outboxPollMs: number;
  /** The keys commands are signed and checked with; absent, they are sent and taken unsigned. */
  readonly signing?: SigningSettings;
}

export const messagingDefaults = {
  maxAttempts: 5,
  retryBaseDelayMs: 1_000,
  retryMaxDelayMs: 60_000,
  newerVersionDelayMs: 10_000,
  newerVersionDeliveries: 30,
  concurrency: 32,
  outboxPollMs: 1_000,
} as const satisfies Partial<MessagingOptions>;
