import { randomFillSync } from 'node:crypto';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';

/** The headers every message carries (spec section 2). */
export const Header = {
  MessageId: 'Nats-Msg-Id',
  MessageType: 'message-type',
  CorrelationId: 'correlation-id',
  CausationId: 'causation-id',
  TraceParent: 'traceparent',
  /** On a replayed dead letter: the id of the message it replays, for the inboxes. */
  ReplayOf: 'replay-of',
} as const;

/** What the platform knows about a message besides its body. */
export interface MessageMetadata {
  /** The message's identity for de-duplication: a replay keeps the original's. */
  readonly messageId: string;
  readonly messageType: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly traceparent: string;
}

export type StoredHeaders = Record<string, string>;

export function toNatsHeaders(values: StoredHeaders): MsgHdrs {
  const result = natsHeaders();
  for (const [name, value] of Object.entries(values)) result.set(name, value);
  return result;
}

export function fromNatsHeaders(source: MsgHdrs | undefined): StoredHeaders {
  const result: StoredHeaders = {};
  if (!source) return result;
  for (const [name, values] of source) {
    if (values[0] !== undefined) result[name] = values[0];
  }
  return result;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * A W3C trace context for a new hop: same trace as the cause (when there is
 * one), a new span id, so every message of one order shares one trace id.
 */
export function childTraceparent(parent?: string): string {
  const match = parent ? TRACEPARENT.exec(parent) : null;
  const traceId = match?.[1] ?? randomHex(16);
  const flags = match?.[3] ?? '01';
  return `00-${traceId}-${randomHex(8)}-${flags}`;
}

// Ids for every message: drawn from a pool refilled 4 KiB at a time rather
// than a call into the system's generator each.
const pool = Buffer.alloc(4096);
let used = pool.length;

function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += bytes;
  return pool.toString('hex', used - bytes, used);
}

export function isTraceparent(value: string | undefined): value is string {
  return value !== undefined && TRACEPARENT.test(value);
}
