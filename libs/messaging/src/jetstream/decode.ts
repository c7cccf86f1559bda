import { readMessageHeaders, type MessageDefinition, type MessageMetadata } from '@app/contracts';
import type { MsgHdrs } from '@nats-io/transport-node';
import { fromNatsHeaders } from '../headers.js';

export type Decoded =
  | { readonly ok: true; readonly payload: unknown; readonly metadata: MessageMetadata }
  | { readonly ok: false; readonly reason: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

/** What decoding needs of a delivery, or of a dead letter being replayed. */
export interface RawMessage {
  readonly subject: string;
  readonly headers?: MsgHdrs | undefined;
  readonly data: Uint8Array;
}

/** Turns a delivery into a valid payload and its metadata, or says why it cannot. */
export function decode(message: RawMessage, definition: MessageDefinition): Decoded {
  const headers = readMessageHeaders(fromNatsHeaders(message.headers), definition, message.subject);
  if (!headers.ok) return headers;

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
  return { ok: true, payload: parsed.data, metadata: headers.metadata };
}
