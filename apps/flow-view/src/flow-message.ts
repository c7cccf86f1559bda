import { findBySubject } from '@app/contracts';
import type { FlowMessage } from './flow-wire.js';

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
