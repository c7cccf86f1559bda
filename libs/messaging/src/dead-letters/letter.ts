import { DeadLetterHeader, Header, Streams, type StoredHeaders } from '@app/contracts';
import type { JetStreamClient } from '@nats-io/jetstream';
import { errors } from '@nats-io/transport-node';
import { toNatsHeaders } from '../headers.js';
import { PROVISION_HINT } from '../jetstream/topology-check.js';

const MAX_REASON_LENGTH = 2_000;

/** A message being given up on, as read from its stream. */
export interface GivenUp {
  readonly subject: string;
  /** Its sequence in the stream it was read from. */
  readonly seq: number;
  readonly stream: string;
  readonly headers: StoredHeaders;
  readonly data: Uint8Array;
  readonly deliveries: number;
}

/** A dead letter ready to publish on DEADLETTERS. */
export interface Letter {
  readonly subject: string;
  /** Its Nats-Msg-Id: the same failure stored twice is one letter. */
  readonly id: string;
  readonly headers: StoredHeaders;
  readonly data: Uint8Array;
}

/**
 * The dead letter of `message`: its body and headers (but its own id, kept
 * as `dead-letter-message-id`), and why it was given up on. `consumer` is the
 * durable consumer that may replay it.
 */
export function letterOf(
  message: GivenUp,
  letterSubject: string,
  consumer: string,
  reason: string,
): Letter {
  const headers = { ...message.headers };
  const originalId =
    headers[Header.ReplayOf] ?? headers[Header.MessageId] ?? `${message.stream}-${message.seq}`;
  delete headers[Header.MessageId];
  headers[DeadLetterHeader.Reason] = reason.slice(0, MAX_REASON_LENGTH).replace(/[\r\n]+/g, ' ');
  headers[DeadLetterHeader.Consumer] = consumer;
  headers[DeadLetterHeader.Subject] = message.subject;
  headers[DeadLetterHeader.MessageId] = originalId;
  headers[DeadLetterHeader.Deliveries] = String(message.deliveries);
  headers[DeadLetterHeader.StreamSequence] = String(message.seq);
  return {
    subject: letterSubject,
    // Same id for the same failure: a crash before the ack cannot store it twice.
    id: `${consumer}:${originalId}:${message.seq}`,
    headers,
    data: message.data,
  };
}

/**
 * Stores a letter, confirmed by JetStream. One that does not fit within the
 * server's max_payload beside its headers is stored without its body (its
 * size kept instead), so that every message can be taken out of the way.
 */
export async function publishLetter(jetstream: JetStreamClient, letter: Letter): Promise<void> {
  try {
    await publish(jetstream, letter, letter.data, letter.headers);
  } catch (error) {
    if (!isOverMaxPayload(error)) throw error;
    const headers = {
      ...letter.headers,
      [DeadLetterHeader.BodyLeftOut]: String(letter.data.length),
    };
    await publish(jetstream, letter, new Uint8Array(), headers);
  }
}

/** With the DEADLETTERS stream gone, says so (provisioning makes it again). */
async function publish(
  jetstream: JetStreamClient,
  letter: Letter,
  data: Uint8Array,
  headers: StoredHeaders,
): Promise<void> {
  try {
    await jetstream.publish(letter.subject, data, {
      msgID: letter.id,
      headers: toNatsHeaders(headers),
    });
  } catch (error) {
    // No stream takes the subject: nats.js reports it as JetStream being off (its class is not exported).
    if (!(error instanceof Error && error.name === 'JetStreamNotEnabled')) throw error;
    throw new Error(`stream ${Streams.DeadLetters} is missing: ${PROVISION_HINT}`, {
      cause: error,
    });
  }
}

/** nats.js refuses, before sending, a message larger than the server's max_payload. */
function isOverMaxPayload(error: unknown): boolean {
  return error instanceof errors.InvalidArgumentError && /max_payload/.test(error.message);
}
