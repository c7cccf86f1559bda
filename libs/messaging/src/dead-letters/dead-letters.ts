import { Inject, Injectable } from '@nestjs/common';
import {
  DeadLetterHeader,
  deadLetterConsumerName,
  deadLetterSubject,
  Header,
  Streams,
  type StoredHeaders,
} from '@app/contracts';
import type { JsMsg } from '@nats-io/jetstream';
import { errors, type MsgHdrs } from '@nats-io/transport-node';
import { fromNatsHeaders, toNatsHeaders } from '../headers.js';
import type { ReplayOutcome } from './replay.js';
import type { RawMessage } from '../jetstream/decode.js';
import { NatsClient } from '../jetstream/nats-client.js';
import { PROVISION_HINT } from '../jetstream/topology-check.js';
import type { Subscription } from '../jetstream/topology.js';
import { MESSAGING_OPTIONS, type MessagingOptions } from '../messaging.options.js';

export interface DeadLetter {
  /** Its sequence in the DEADLETTERS stream: the handle to replay it by. */
  readonly sequence: number;
  readonly subject: string;
  readonly messageId: string;
  readonly messageType: string | undefined;
  readonly consumer: string | undefined;
  readonly reason: string | undefined;
  readonly deliveries: number;
  readonly deadAt: string;
  readonly headers: StoredHeaders;
  readonly body: string;
}

export class DeadLetterNotFound extends Error {
  readonly code = 'DEAD_LETTER.NOT_FOUND';
}

export class DeadLetterNotReplayable extends Error {
  readonly code = 'DEAD_LETTER.NOT_REPLAYABLE';
}

/** Handles one dead letter of a consumer again. */
export type Replayer = (letter: RawMessage) => Promise<ReplayOutcome>;

const MAX_REASON_LENGTH = 2_000;
const LIST_LIMIT = 1_000;
const PULL_BATCH = 100;
/** How long a pull waits for letters another replica holds for a moment. */
const PULL_EXPIRES_MS = 2_000;
const decoder = new TextDecoder();

/**
 * Keeps messages a consumer gave up on in the DEADLETTERS stream, with the
 * original body and headers and why it failed, so an operator can list them
 * and send them back. Storing is confirmed by JetStream before the original
 * is acked, so a message is never in neither place.
 */
@Injectable()
export class DeadLetters {
  private readonly replayers = new Map<string, Replayer>();

  constructor(
    private readonly nats: NatsClient,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  async store(message: JsMsg, subscription: Subscription, reason: string): Promise<void> {
    const headers = fromNatsHeaders(message.headers);
    const originalId =
      headers[Header.ReplayOf] ??
      headers[Header.MessageId] ??
      `${message.info.stream}-${message.seq}`;
    delete headers[Header.MessageId];
    headers[DeadLetterHeader.Reason] = reason.slice(0, MAX_REASON_LENGTH).replace(/[\r\n]+/g, ' ');
    headers[DeadLetterHeader.Consumer] = subscription.consumer;
    headers[DeadLetterHeader.Subject] = message.subject;
    headers[DeadLetterHeader.MessageId] = originalId;
    headers[DeadLetterHeader.Deliveries] = String(message.info.deliveryCount);
    headers[DeadLetterHeader.StreamSequence] = String(message.seq);
    const letter = {
      subject: deadLetterSubject(subscription.app, subscription.message),
      // Same id for the same failure: a crash before the ack cannot store it twice.
      id: `${subscription.consumer}:${originalId}:${message.seq}`,
    };
    try {
      await this.publish(letter, message.data, toNatsHeaders(headers));
    } catch (error) {
      if (!isOverMaxPayload(error)) throw error;
      // Whole, it does not fit: keep why it failed, so it is still taken out of the way.
      headers[DeadLetterHeader.BodyLeftOut] = String(message.data.length);
      await this.publish(letter, new Uint8Array(), toNatsHeaders(headers));
    }
  }

  /** Publishes a letter; with the DEADLETTERS stream gone, says so (provisioning makes it again). */
  private async publish(
    letter: { subject: string; id: string },
    data: Uint8Array,
    headers: MsgHdrs,
  ): Promise<void> {
    try {
      await this.nats.jetstream.publish(letter.subject, data, { msgID: letter.id, headers });
    } catch (error) {
      // No stream takes the subject: nats.js reports it as JetStream being off (its class is not exported).
      if (!(error instanceof Error && error.name === 'JetStreamNotEnabled')) throw error;
      throw new Error(`stream ${Streams.DeadLetters} is missing: ${PROVISION_HINT}`, {
        cause: error,
      });
    }
  }

  /**
   * This app's dead letters, oldest first, read through its own consumer on
   * DEADLETTERS (`dlq.<app>.>` only) and handed straight back: listing
   * removes nothing. A listing that overlaps another replica's may wait for
   * the letters that one holds for a moment.
   */
  async list(): Promise<DeadLetter[]> {
    const held = await this.pullAll(() => false);
    await this.handBack(held.others);
    return held.others.map(fromDelivered).sort((a, b) => a.sequence - b.sequence);
  }

  /** The consumer workers of this process, each able to handle its own dead letters again. */
  serveReplays(consumer: string, replayer: Replayer): void {
    this.replayers.set(consumer, replayer);
  }

  /**
   * Handles a dead letter again in this app, through the same inbox and
   * transaction as a delivery, and removes it (acknowledges it on the work
   * queue) once that committed. It keeps the original's identity, so a
   * message that had its effect before has none now. A failure leaves the
   * letter where it is.
   */
  async replay(sequence: number): Promise<{ letter: DeadLetter; outcome: ReplayOutcome }> {
    const { found, others } = await this.pullAll((message) => message.seq === sequence);
    await this.handBack(others);
    if (!found) throw new DeadLetterNotFound(`no dead letter ${sequence} for ${this.options.app}`);
    try {
      const letter = fromDelivered(found);
      const outcome = await this.replayLetter(letter, found.data);
      // Confirmed before answering: a replayed letter is gone from the stream.
      await found.ackAck();
      return { letter, outcome };
    } catch (error) {
      found.nak();
      await this.nats.connection.flush();
      throw error;
    }
  }

  private async replayLetter(letter: DeadLetter, data: Uint8Array): Promise<ReplayOutcome> {
    if (letter.headers[DeadLetterHeader.BodyLeftOut] !== undefined) {
      throw new DeadLetterNotReplayable(
        `dead letter ${letter.sequence} kept only its reason: its body of ${letter.headers[DeadLetterHeader.BodyLeftOut]} bytes did not fit`,
      );
    }
    const originalSubject = letter.headers[DeadLetterHeader.Subject];
    const replayer = letter.consumer ? this.replayers.get(letter.consumer) : undefined;
    if (!originalSubject || !replayer) {
      throw new DeadLetterNotReplayable(
        `dead letter ${letter.sequence} is for ${letter.consumer ?? 'no consumer'}, which ${this.options.app} no longer runs`,
      );
    }
    const headers: StoredHeaders = {};
    for (const [name, value] of Object.entries(letter.headers)) {
      if (!name.startsWith('dead-letter-')) headers[name] = value;
    }
    headers[Header.MessageId] = letter.messageId;
    headers[Header.ReplayOf] = letter.messageId;
    return replayer({ subject: originalSubject, headers: toNatsHeaders(headers), data });
  }

  /**
   * Pulls this app's letters in batches, holding each, until `wanted` is met
   * or every letter was seen. Each batch is read to its end, so no letter is
   * left delivered and forgotten until its ack wait runs out.
   */
  private async pullAll(
    wanted: (message: JsMsg) => boolean,
  ): Promise<{ found: JsMsg | undefined; others: JsMsg[] }> {
    const consumer = await this.nats.jetstream.consumers.get(
      Streams.DeadLetters,
      deadLetterConsumerName(this.options.app),
    );
    const info = await consumer.info(true);
    const total = Math.min(info.num_pending + info.num_ack_pending, LIST_LIMIT);
    const others: JsMsg[] = [];
    let found: JsMsg | undefined;
    while (!found && others.length < total) {
      const batch = await consumer.fetch({
        max_messages: Math.min(total - others.length, PULL_BATCH),
        expires: PULL_EXPIRES_MS,
      });
      let received = 0;
      for await (const message of batch) {
        received += 1;
        if (!found && wanted(message)) found = message;
        else others.push(message);
      }
      if (received === 0) break;
    }
    return { found, others };
  }

  /** Makes held letters deliverable again at once, in order, before answering. */
  private async handBack(messages: readonly JsMsg[]): Promise<void> {
    for (const message of [...messages].sort((a, b) => a.seq - b.seq)) message.nak();
    await this.nats.connection.flush();
  }
}

function fromDelivered(message: JsMsg): DeadLetter {
  return toDeadLetter(
    message.seq,
    message.subject,
    fromNatsHeaders(message.headers),
    message.data,
    message.time,
  );
}

function toDeadLetter(
  sequence: number,
  subject: string,
  headers: StoredHeaders,
  data: Uint8Array,
  time: Date,
): DeadLetter {
  return {
    sequence,
    subject,
    messageId: headers[DeadLetterHeader.MessageId] ?? '',
    messageType: headers[Header.MessageType],
    consumer: headers[DeadLetterHeader.Consumer],
    reason: headers[DeadLetterHeader.Reason],
    deliveries: Number(headers[DeadLetterHeader.Deliveries] ?? 0),
    deadAt: time.toISOString(),
    headers,
    body: decoder.decode(data),
  };
}

/** nats.js refuses, before sending, a message larger than the server's max_payload. */
function isOverMaxPayload(error: unknown): boolean {
  return error instanceof errors.InvalidArgumentError && /max_payload/.test(error.message);
}
