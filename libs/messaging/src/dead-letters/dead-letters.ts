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
import { fromNatsHeaders, toNatsHeaders } from '../headers.js';
import { letterOf, publishLetter } from './letter.js';
import type { ReplayOutcome } from './replay.js';
import type { RawMessage } from '../jetstream/decode.js';
import { NatsClient } from '../jetstream/nats-client.js';
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

export interface PageOptions extends ReadOptions {
  /** Letters on the page at most. */
  readonly limit?: number;
  /** Bytes (as JSON) the page's letters may take, at least one letter whatever its size. */
  readonly maxBytes?: number;
}

/** What a held letter needs to be made deliverable again: not its body. */
interface Held {
  readonly seq: number;
  readonly reply: string;
}

export class DeadLetterNotFound extends Error {
  readonly code = 'DEAD_LETTER.NOT_FOUND';
}

export class DeadLetterNotReplayable extends Error {
  readonly code = 'DEAD_LETTER.NOT_REPLAYABLE';
}

/** Handles one dead letter of a consumer again. */
export type Replayer = (letter: RawMessage) => Promise<ReplayOutcome>;

const LIST_LIMIT = 1_000;
/** Small batches: a reader holds one batch of bodies at a time, whatever their size. */
const PULL_BATCH = 20;
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
    const givenUp = {
      subject: message.subject,
      seq: message.seq,
      stream: message.info.stream,
      headers: fromNatsHeaders(message.headers),
      data: message.data,
      deliveries: message.info.deliveryCount,
    };
    const subject = deadLetterSubject(subscription.app, subscription.message);
    await publishLetter(
      this.nats.jetstream,
      letterOf(givenUp, subject, subscription.consumer, reason),
    );
  }

  /**
   * This app's dead letters after `sequence`, oldest first: at most `limit`
   * of them within `maxBytes` (as JSON), plus the next one when there is
   * more. They are read through this app's own consumer on DEADLETTERS
   * (`dlq.<app>.>` only), which delivers in no particular order, so every
   * letter is pulled once and only those the page needs are kept; then all
   * are handed back: reading removes nothing. A read that overlaps another
   * replica's may wait for the letters that one holds for a moment.
   */
  async after(
    sequence: number,
    options: PageOptions = {},
  ): Promise<{ letters: DeadLetter[]; more: boolean }> {
    const { limit = LIST_LIMIT, maxBytes = Number.POSITIVE_INFINITY } = options;
    const held: Held[] = [];
    let page: Array<{ letter: DeadLetter; bytes: number }> = [];
    let more = false;
    try {
      for await (const message of this.pulled(held)) {
        if (message.seq <= sequence) continue;
        // Past a full page, a later letter only says that more follow: its body is not read.
        const last = page.at(-1);
        if (more && last && message.seq > last.letter.sequence) continue;
        const letter = fromDelivered(message, options);
        page.push({ letter, bytes: Buffer.byteLength(JSON.stringify(letter)) });
        page.sort((a, b) => a.letter.sequence - b.letter.sequence);
        const fits = firstPage(page, limit, maxBytes);
        if (fits < page.length) {
          more = true;
          page = page.slice(0, fits);
        }
      }
    } finally {
      await this.handBack(held);
    }
    return { letters: page.map(({ letter }) => letter), more };
  }

  /** One of this app's dead letters, or undefined. */
  async get(sequence: number, options: ReadOptions = {}): Promise<DeadLetter | undefined> {
    const {
      letters: [letter],
    } = await this.after(sequence - 1, { ...options, limit: 1 });
    return letter?.sequence === sequence ? letter : undefined;
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
    const held: Held[] = [];
    let found: JsMsg | undefined;
    for await (const message of this.pulled(held)) {
      if (message.seq === sequence) {
        found = message;
        break;
      }
    }
    await this.handBack(held.filter((letter) => letter.seq !== sequence));
    if (!found) throw new DeadLetterNotFound(`no dead letter ${sequence} for ${this.options.app}`);
    return this.replayHeld(found);
  }

  /**
   * Replays every letter of this app once, in one pass: those that fail again
   * stay, and are handed back at the end so the pass does not meet them twice.
   */
  async replayAll(): Promise<{
    replayed: number;
    failed: Array<{ sequence: number; error: unknown }>;
  }> {
    const failed: Array<{ sequence: number; error: unknown }> = [];
    const held: Held[] = [];
    const gone = new Set<number>();
    try {
      for await (const message of this.pulled(held)) {
        try {
          await this.replayHeld(message, { handBack: false });
          gone.add(message.seq);
        } catch (error) {
          failed.push({ sequence: message.seq, error });
        }
      }
    } finally {
      await this.handBack(held.filter((letter) => !gone.has(letter.seq)));
    }
    const replayed = gone.size;
    return { replayed, failed };
  }

  private async replayHeld(
    message: JsMsg,
    { handBack } = { handBack: true },
  ): Promise<{ letter: DeadLetter; outcome: ReplayOutcome }> {
    try {
      const letter = fromDelivered(message);
      const outcome = await this.replayLetter(letter, message.data);
      // Confirmed before answering: a replayed letter is gone from the stream.
      await message.ackAck();
      return { letter, outcome };
    } catch (error) {
      if (handBack) await this.handBack([heldOf(message)]);
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
   * This app's letters, pulled a batch at a time and held (not acknowledged,
   * each added to `held`) until handed back or replayed; at most as many as were there at the start.
   * Each batch is read to its end, so no letter is left delivered and
   * forgotten until its ack wait runs out.
   */
  private async *pulled(held: Held[]): AsyncGenerator<JsMsg> {
    const consumer = await this.nats.jetstream.consumers.get(
      Streams.DeadLetters,
      deadLetterConsumerName(this.options.app),
    );
    const info = await consumer.info(true);
    const total = Math.min(info.num_pending + info.num_ack_pending, LIST_LIMIT);
    let seen = 0;
    while (seen < total) {
      const batch = await consumer.fetch({
        max_messages: Math.min(total - seen, PULL_BATCH),
        expires: PULL_EXPIRES_MS,
      });
      const received: JsMsg[] = [];
      for await (const message of batch) received.push(message);
      if (received.length === 0) return;
      // Every letter of the batch is held before any is read: a reader that
      // stops in the middle still hands all of them back.
      held.push(...received.map(heldOf));
      seen += received.length;
      yield* received;
    }
  }

  /** Makes held letters deliverable again at once, in order, before answering. */
  private async handBack(held: readonly Held[]): Promise<void> {
    if (held.length === 0) return;
    for (const { reply } of [...held].sort((a, b) => a.seq - b.seq)) {
      this.nats.connection.publish(reply, '-NAK');
    }
    await this.nats.connection.flush();
  }
}

/**
 * How many of `sized` (in order of sequence) a page takes: at most `limit`,
 * within `maxBytes`, and at least one whatever its size.
 */
function firstPage(sized: ReadonlyArray<{ bytes: number }>, limit: number, maxBytes: number) {
  let bytes = 0;
  for (let i = 0; i < sized.length; i += 1) {
    const size = sized[i]!.bytes;
    if (i >= limit || (i > 0 && bytes + size > maxBytes)) return i;
    bytes += size;
  }
  return sized.length;
}

/**
 * A letter's sequence and ack subject (nats.js' messages carry it, untyped),
 * kept without its body so that holding many letters costs little.
 */
function heldOf(message: JsMsg): Held {
  return { seq: message.seq, reply: (message as JsMsg & { readonly reply: string }).reply };
}

function fromDelivered(message: JsMsg, options: ReadOptions = {}): DeadLetter {
  return toDeadLetter(
    message.seq,
    message.subject,
    fromNatsHeaders(message.headers),
    message.data,
    message.time,
    options,
  );
}

function toDeadLetter(
  sequence: number,
  subject: string,
  headers: StoredHeaders,
  data: Uint8Array,
  time: Date,
  { bodyBytes }: ReadOptions = {},
): DeadLetter {
  const kept = bodyBytes === undefined ? data : data.subarray(0, bodyBytes);
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
    body: decoder.decode(kept),
    bodyBytes: data.length,
    bodyTruncated: kept.length < data.length,
  };
}
