import { Inject, Injectable } from '@nestjs/common';
import {
  DeadLetterHeader,
  deadLetterSubject,
  deadLetterSubjectsOf,
  Header,
  Streams,
  type StoredHeaders,
} from '@app/contracts';
import type { JsMsg, StoredMsg } from '@nats-io/jetstream';
import { errors, type MsgHdrs } from '@nats-io/transport-node';
import { fromNatsHeaders, toNatsHeaders } from '../headers.js';
import type { ReplayOutcome } from './replay.js';
import type { RawMessage } from '../jetstream/decode.js';
import { NatsClient } from '../jetstream/nats-client.js';
import { ensureStream, streamConfigs, type Subscription } from '../jetstream/topology.js';
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
  /** The original body as UTF-8 text: all of it, or its first bytes when `bodyTruncated`. */
  readonly body: string;
  /** The original body's size in bytes. */
  readonly bodyBytes: number;
  readonly bodyTruncated: boolean;
}

export interface ReadOptions {
  /** Keep at most this many bytes of each body (unset: whole bodies). */
  readonly bodyBytes?: number;
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

  /** Publishes a letter, creating the DEADLETTERS stream again when an operator or a wiped server lost it. */
  private async publish(
    letter: { subject: string; id: string },
    data: Uint8Array,
    headers: MsgHdrs,
  ): Promise<void> {
    const send = () =>
      this.nats.jetstream.publish(letter.subject, data, { msgID: letter.id, headers });
    try {
      await send();
    } catch (error) {
      // No stream takes the subject: nats.js reports it as JetStream being off (its class is not exported).
      if (!(error instanceof Error && error.name === 'JetStreamNotEnabled')) throw error;
      const config = streamConfigs(this.options.streamReplicas).find(
        (stream) => stream.name === Streams.DeadLetters,
      );
      if (!config) throw error;
      await ensureStream(this.nats.manager, config);
      await send();
    }
  }

  /**
   * This app's dead letters after `sequence`, oldest first, one read at a
   * time: a caller that stops early has read no more, however many there are.
   */
  async *after(sequence: number, options: ReadOptions = {}): AsyncGenerator<DeadLetter> {
    const subjects = deadLetterSubjectsOf(this.options.app);
    for (let next = sequence + 1; ;) {
      // The server's next-by-subject get (typed only for direct gets in nats.js).
      const query = { seq: next, next_by_subj: subjects } as unknown as { seq: number };
      const stored = await this.nats.manager.streams.getMessage(Streams.DeadLetters, query);
      if (!stored) return;
      yield fromStored(stored, options);
      next = stored.seq + 1;
    }
  }

  /** One of this app's dead letters, or undefined. */
  async get(sequence: number, options: ReadOptions = {}): Promise<DeadLetter | undefined> {
    const stored = await this.nats.manager.streams
      .getMessage(Streams.DeadLetters, { seq: sequence })
      .catch(() => null);
    const letter = stored ? fromStored(stored, options) : undefined;
    return letter && this.isOwn(letter) ? letter : undefined;
  }

  private isOwn(letter: DeadLetter): boolean {
    return letter.subject.startsWith(deadLetterSubjectsOf(this.options.app).slice(0, -1));
  }

  /** The consumer workers of this process, each able to handle its own dead letters again. */
  serveReplays(consumer: string, replayer: Replayer): void {
    this.replayers.set(consumer, replayer);
  }

  /**
   * Handles a dead letter again in this app, through the same inbox and
   * transaction as a delivery, and removes it once that committed. It keeps
   * the original's identity, so a message that had its effect before has
   * none now. A failure leaves the letter where it is.
   */
  async replay(sequence: number): Promise<{ letter: DeadLetter; outcome: ReplayOutcome }> {
    const stored = await this.nats.manager.streams
      .getMessage(Streams.DeadLetters, { seq: sequence })
      .catch(() => null);
    const letter = stored ? fromStored(stored) : undefined;
    if (!stored || !letter || !this.isOwn(letter)) {
      throw new DeadLetterNotFound(`no dead letter ${sequence} for ${this.options.app}`);
    }
    if (letter.headers[DeadLetterHeader.BodyLeftOut] !== undefined) {
      throw new DeadLetterNotReplayable(
        `dead letter ${sequence} kept only its reason: its body of ${letter.headers[DeadLetterHeader.BodyLeftOut]} bytes did not fit`,
      );
    }
    const originalSubject = letter.headers[DeadLetterHeader.Subject];
    const replayer = letter.consumer ? this.replayers.get(letter.consumer) : undefined;
    if (!originalSubject || !replayer) {
      throw new DeadLetterNotReplayable(
        `dead letter ${sequence} is for ${letter.consumer ?? 'no consumer'}, which ${this.options.app} no longer runs`,
      );
    }
    const headers: StoredHeaders = {};
    for (const [name, value] of Object.entries(letter.headers)) {
      if (!name.startsWith('dead-letter-')) headers[name] = value;
    }
    headers[Header.MessageId] = letter.messageId;
    headers[Header.ReplayOf] = letter.messageId;
    const outcome = await replayer({
      subject: originalSubject,
      headers: toNatsHeaders(headers),
      data: stored.data,
    });
    // Another replica may have replayed and removed it at the same time; the inbox kept it to one effect.
    await this.nats.manager.streams
      .deleteMessage(Streams.DeadLetters, sequence, false)
      .catch(() => undefined);
    return { letter, outcome };
  }
}

function fromStored(stored: StoredMsg, { bodyBytes }: ReadOptions = {}): DeadLetter {
  const headers = fromNatsHeaders(stored.header);
  const data = stored.data;
  const kept = bodyBytes === undefined ? data : data.subarray(0, bodyBytes);
  return {
    sequence: stored.seq,
    subject: stored.subject,
    messageId: headers[DeadLetterHeader.MessageId] ?? '',
    messageType: headers[Header.MessageType],
    consumer: headers[DeadLetterHeader.Consumer],
    reason: headers[DeadLetterHeader.Reason],
    deliveries: Number(headers[DeadLetterHeader.Deliveries] ?? 0),
    deadAt: stored.time.toISOString(),
    headers,
    body: decoder.decode(kept),
    bodyBytes: data.length,
    bodyTruncated: kept.length < data.length,
  };
}

/** nats.js refuses, before sending, a message larger than the server's max_payload. */
function isOverMaxPayload(error: unknown): boolean {
  return error instanceof errors.InvalidArgumentError && /max_payload/.test(error.message);
}
