import type { MessageDefinition } from '@app/contracts';
import type { MsgHdrs } from '@nats-io/transport-node';
import {
  childTraceparent,
  fromNatsHeaders,
  Header,
  isTraceparent,
  type MessageMetadata,
} from '../headers.js';

export type Decoded =
  | { readonly ok: true; readonly payload: unknown; readonly metadata: MessageMetadata }
  | { readonly ok: false; readonly reason: string };

const decoder = new TextDecoder('utf-8', { fatal: true });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What decoding needs of a delivery, or of a dead letter being replayed. */
export interface RawMessage {
  readonly subject: string;
  readonly headers?: MsgHdrs | undefined;
  readonly data: Uint8Array;
}

/** Turns a delivery into a valid payload and its metadata, or says why it cannot. */
export function decode(message: RawMessage, definition: MessageDefinition): Decoded {
  const headers = fromNatsHeaders(message.headers);
  const natsMessageId = headers[Header.MessageId];
  if (!natsMessageId) return { ok: false, reason: `missing header ${Header.MessageId}` };
  const messageId = headers[Header.ReplayOf] ?? natsMessageId;
  const correlationId = headers[Header.CorrelationId];
  if (!correlationId) return { ok: false, reason: `missing header ${Header.CorrelationId}` };
  // The order id the message belongs to (spec section 2): anything else is forged.
  if (!UUID.test(correlationId)) {
    return { ok: false, reason: `invalid header ${Header.CorrelationId}: not a uuid` };
  }
  const messageType = headers[Header.MessageType] ?? definition.name;
  if (messageType !== definition.name) {
    return {
      ok: false,
      reason: `${Header.MessageType} "${messageType}" does not match subject ${message.subject}`,
    };
  }

  let body: unknown;
  try {
    body = JSON.parse(decoder.decode(message.data));
  } catch (error) {
    return {
      ok: false,
      reason: `malformed body: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const parsed = definition.schema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
      .join('; ');
    return { ok: false, reason: `schema violation: ${issues}` };
  }

  const traceparent = headers[Header.TraceParent];
  return {
    ok: true,
    payload: parsed.data,
    metadata: {
      messageId,
      messageType,
      correlationId,
      causationId: headers[Header.CausationId] ?? messageId,
      traceparent: isTraceparent(traceparent) ? traceparent : childTraceparent(),
    },
  };
}
