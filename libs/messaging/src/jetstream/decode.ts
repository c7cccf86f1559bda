import {
  readMessageHeaders,
  readPayload,
  type MessageDefinition,
  type MessageMetadata,
} from '@app/contracts';
import type { MsgHdrs } from '@nats-io/transport-node';
import { fromNatsHeaders } from '../headers.js';
import type { CommandSignatures } from '../signing/command-signatures.js';

export type Decoded =
  | { readonly ok: true; readonly payload: unknown; readonly metadata: MessageMetadata }
  | {
      readonly ok: false;
      readonly reason: string;
      /** Of a version after this consumer's: not to be dead-lettered at once (see the consumer worker). */
      readonly newerVersion?: boolean;
    };

/**
 * The largest body a consumer reads. Fields it does not know are ignored, not
 * refused, so the size alone keeps an oversized body out; the largest valid
 * message (an order of 100 items) is a small fraction of it.
 */
export const MAX_BODY_BYTES = 256 * 1024;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** What decoding needs of a delivery, or of a dead letter being replayed. */
export interface RawMessage {
  readonly subject: string;
  readonly headers?: MsgHdrs | undefined;
  readonly data: Uint8Array;
}

/**
 * Turns a delivery into the payload of the definition's current version and
 * its metadata, or says why it cannot: fields the consumer does not know are
 * dropped, an older version is upcast, a newer one is refused as such. With
 * `signatures`, a command must carry its sender's signature.
 */
export function decode(
  message: RawMessage,
  definition: MessageDefinition,
  signatures?: CommandSignatures,
): Decoded {
  const stored = fromNatsHeaders(message.headers);
  const headers = readMessageHeaders(stored, definition, message.subject);
  if (!headers.ok) return headers;
  if (message.data.byteLength > MAX_BODY_BYTES) {
    return {
      ok: false,
      reason: `body too large: ${message.data.byteLength} bytes, at most ${MAX_BODY_BYTES}`,
    };
  }
  const forged = signatures?.problemWith(definition, stored, headers.metadata, message.data);
  if (forged !== undefined) return { ok: false, reason: forged };

  let body: unknown;
  try {
    body = JSON.parse(decoder.decode(message.data));
  } catch (error) {
    return {
      ok: false,
      reason: `malformed body: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const read = readPayload(definition, headers.metadata.messageVersion, body);
  if (!read.ok) return read;
  return { ok: true, payload: read.payload, metadata: headers.metadata };
}
