import { findBySubject, type MessageKind } from '@app/contracts';

/** One message seen on the wire, as the page draws it. */
export interface FlowMessage {
  readonly name: string;
  readonly kind: MessageKind;
  /** The order it belongs to (its correlation id), when it carries one. */
  readonly orderId: string | null;
  /** Milliseconds since the epoch, when this process saw it. */
  readonly at: number;
}

export interface WireHeaders {
  readonly messageType?: string | undefined;
  readonly correlationId?: string | undefined;
}

// Correlation ids are order UUIDs; anything else is not worth echoing to a browser.
const CORRELATION_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * A message of the catalog as the view shows it, or null for a subject the
 * catalog does not know or a `message-type` that contradicts its subject.
 */
export function toFlowMessage(
  subject: string,
  headers: WireHeaders,
  at: number,
): FlowMessage | null {
  const definition = findBySubject(subject);
  if (!definition) return null;
  if (headers.messageType && headers.messageType !== definition.name) return null;
  const correlationId = headers.correlationId ?? '';
  return {
    name: definition.name,
    kind: definition.kind,
    orderId: CORRELATION_ID.test(correlationId) ? correlationId : null,
    at,
  };
}
