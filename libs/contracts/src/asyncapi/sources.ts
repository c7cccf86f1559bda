import type { MessageDefinition } from '../message-definition.js';

/** A JetStream stream as the documents describe it. Durations in milliseconds; absent means unlimited. */
export interface StreamDescription {
  readonly name: string;
  readonly subjects: readonly string[];
  readonly retention: string;
  readonly storage: string;
  readonly maxAgeMs?: number;
  readonly duplicateWindowMs?: number;
  readonly purpose: string;
}

/** The names of the headers every message carries (spec section 2), as the transport spells them. */
export interface MessageHeaderNames {
  readonly MessageId: string;
  readonly MessageType: string;
  readonly CorrelationId: string;
  readonly CausationId: string;
  readonly TraceParent: string;
}

/** The headers a dead letter carries besides the original ones. */
export interface DeadLetterHeaderNames {
  readonly Reason: string;
  readonly Consumer: string;
  readonly Subject: string;
  readonly MessageId: string;
  readonly Deliveries: string;
  readonly StreamSequence: string;
}

export interface ServerDescription {
  readonly host: string;
  readonly description: string;
  /** Each app connects as its own NATS user, allowed only the subjects of its role. */
  readonly appUsers?: boolean;
}

/**
 * What the documents need besides the catalog and its participants, which
 * they read directly. Each field comes from the code that defines it (the
 * transport's streams, headers and consumer names), so the documents cannot
 * say anything the platform does not do.
 */
export interface DocumentationSources {
  readonly title: string;
  readonly version: string;
  readonly streams: readonly StreamDescription[];
  readonly headers: MessageHeaderNames;
  readonly deadLetterHeaders: DeadLetterHeaderNames;
  readonly servers: Readonly<Record<string, ServerDescription>>;
  /** The durable consumer an app reads a message through. */
  readonly consumerOf: (app: string, message: MessageDefinition) => string;
}
