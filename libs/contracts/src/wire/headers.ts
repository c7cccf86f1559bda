import type { MessageDefinition } from '../message-definition.js';
import { childTraceparent, isTraceparent } from './trace-context.js';

/** The headers of a message, as the wire spells them: they are matched case for case. */
export const Header = {
  /** The message's own unique id: JetStream and the receiving inboxes de-duplicate by it. */
  MessageId: 'Nats-Msg-Id',
  /** The message's name, the last token of its subject. */
  MessageType: 'message-type',
  /** The id (a UUID) of the order the message belongs to. */
  CorrelationId: 'correlation-id',
  /** The id of the message, or of the HTTP request, that caused this one. */
  CausationId: 'causation-id',
  /**
   * The version of the message's contract its body follows, a positive
   * integer; absent, 1 (messages from before versions were written).
   */
  MessageVersion: 'message-version',
  /** The trace the message continues (see trace-context.ts). */
  TraceParent: 'traceparent',
  /** Only on a dead letter being handled again: the id of the message it replays, for the inboxes. */
  ReplayOf: 'replay-of',
  /** On a command: the app that signed it, one of the command's senders. */
  Signer: 'message-signer',
  /** On a command: its signer's Ed25519 signature, base64 (see docs/wire-contract.md, Signed commands). */
  Signature: 'message-signature',
} as const;

/** The headers every message is published with. */
export const MESSAGE_HEADERS = [
  Header.MessageId,
  Header.MessageType,
  Header.MessageVersion,
  Header.CorrelationId,
  Header.CausationId,
  Header.TraceParent,
] as const;

/**
 * What a dead letter carries besides the original headers, whose
 * `Nats-Msg-Id` it does not keep: a dead letter has an id of its own.
 */
export const DeadLetterHeader = {
  /** Why the consumer gave up: its last error. */
  Reason: 'dead-letter-reason',
  /** The durable consumer that gave up, `<app>-<MessageName>`. */
  Consumer: 'dead-letter-consumer',
  /** The subject the message was read from. */
  Subject: 'dead-letter-subject',
  /** The original message's id, kept by a replay so an inbox that handled it does nothing. */
  MessageId: 'dead-letter-message-id',
  /** How many times the message was delivered before it was parked. */
  Deliveries: 'dead-letter-deliveries',
  /** The original message's sequence in its stream. */
  StreamSequence: 'dead-letter-stream-sequence',
  /**
   * Set when the body was too large to keep beside these headers within the
   * server's max_payload: its size in bytes. Such a letter keeps its reason
   * and cannot be replayed.
   */
  BodyLeftOut: 'dead-letter-body-left-out',
} as const;

/** Header values by name, one value each, as stored beside a message. */
export type StoredHeaders = Record<string, string>;

/** What the platform knows about a message besides its body. */
export interface MessageMetadata {
  /** The message's identity for de-duplication: a replay keeps the original's. */
  readonly messageId: string;
  readonly messageType: string;
  readonly messageVersion: number;
  readonly correlationId: string;
  readonly causationId: string;
  readonly traceparent: string;
}

export type ReadHeaders =
  | { readonly ok: true; readonly metadata: MessageMetadata }
  | { readonly ok: false; readonly reason: string };

/** The version of a message that carries no `message-version`: the first. */
export const UNVERSIONED = 1;
const VERSION = /^[1-9][0-9]{0,8}$/;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The metadata of a message received on `subject` as `definition`, or why it
 * cannot be handled. The id and the correlation id are required; the rest
 * have defaults (the expected type, version 1, the message itself as its
 * cause, a new trace), so a hand-published message needs only those two.
 */
export function readMessageHeaders(
  headers: Readonly<StoredHeaders>,
  definition: MessageDefinition,
  subject: string,
): ReadHeaders {
  const natsMessageId = headers[Header.MessageId];
  if (!natsMessageId) return { ok: false, reason: `missing header ${Header.MessageId}` };
  const messageId = headers[Header.ReplayOf] ?? natsMessageId;
  const correlationId = headers[Header.CorrelationId];
  if (!correlationId) return { ok: false, reason: `missing header ${Header.CorrelationId}` };
  // Correlation ids are order ids, which the platform draws as UUIDs: anything else is forged.
  if (!UUID.test(correlationId)) {
    return { ok: false, reason: `invalid header ${Header.CorrelationId}: not a uuid` };
  }
  const messageType = headers[Header.MessageType] ?? definition.name;
  if (messageType !== definition.name) {
    return {
      ok: false,
      reason: `${Header.MessageType} "${messageType}" does not match subject ${subject}`,
    };
  }
  const version = headers[Header.MessageVersion];
  if (version !== undefined && !VERSION.test(version)) {
    return {
      ok: false,
      reason: `invalid header ${Header.MessageVersion}: "${version}" is not a positive integer`,
    };
  }
  const traceparent = headers[Header.TraceParent];
  return {
    ok: true,
    metadata: {
      messageId,
      messageType,
      messageVersion: version === undefined ? UNVERSIONED : Number(version),
      correlationId,
      causationId: headers[Header.CausationId] ?? messageId,
      traceparent: isTraceparent(traceparent) ? traceparent : childTraceparent(),
    },
  };
}
