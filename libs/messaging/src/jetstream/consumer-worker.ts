import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { MessageMetadata } from '@app/contracts';
import { metrics } from '@app/observability';
import { isDatabaseUnreachable, type Transactions } from '@app/transactions';
import type { DeadLetters } from '../dead-letters/dead-letters.js';
import { ReplayRejected, type ReplayOutcome } from '../dead-letters/replay.js';
import type { MessagingOptions } from '../messaging.options.js';
import type { CommandSignatures } from '../signing/command-signatures.js';
import {
  afterFailure,
  afterNewerVersion,
  crashLoopDeliveries,
  retryDelay,
} from '../retry-policy.js';
import { inbox } from '../inbox/inbox.js';
import { decode, type RawMessage } from './decode.js';
import { HandlerPace } from './handler-pace.js';
import { HandlingTelemetry } from './handling-telemetry.js';
import { OutageGate } from './outage-gate.js';
import { JetStreamContext } from './jetstream.context.js';
import type { NatsClient } from './nats-client.js';
import { PROVISION_HINT } from './topology-check.js';
import type { Subscription } from './topology.js';

const LOST = new Set(['consumer_deleted', 'consumer_not_found', 'stream_not_found']);
/** How often a lost consumer is looked for again, until provisioning has made it again. */
const LOST_POLL_MS = 2_000;
/** How long a message in hand waits before it tries the database again, doubling up to the cap. */
const OUTAGE_FIRST_WAIT_MS = 250;
const OUTAGE_MAX_WAIT_MS = 5_000;

export type MessageHandlerFn = (payload: unknown, context: JetStreamContext) => Promise<void>;

export interface WorkerDependencies {
  readonly nats: NatsClient;
  readonly transactions: Transactions;
  readonly deadLetters: DeadLetters;
  readonly options: MessagingOptions;
  readonly signatures: CommandSignatures;
}

/**
 * Pulls one durable consumer and runs its handler, at most `concurrency`
 * messages at a time. Each message: decode, then inbox claim and handler in one
 * transaction, then ack. A failure is retried with back-off, and dead-lettered
 * after the last attempt; a message that cannot be decoded is dead-lettered at
 * once, except one of a newer version, handed back for a while first.
 */
export class ConsumerWorker {
  private readonly logger: Logger;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly pace = new HandlerPace();
  private readonly pumps = new Set<Promise<void>>();
  private readonly outage: OutageGate;
  private readonly telemetry: HandlingTelemetry;
  private messages: ConsumerMessages | undefined;
  private stopping = false;
  /** The consumer's ack wait, as provisioned: in-hand messages are kept alive well within it. */
  private ackWaitMs = 30_000;
  private lost = false;

  constructor(
    private readonly subscription: Subscription,
    private readonly handler: MessageHandlerFn,
    private readonly deps: WorkerDependencies,
  ) {
    this.logger = new Logger(subscription.consumer);
    this.outage = new OutageGate(this.logger);
    this.telemetry = new HandlingTelemetry(subscription.consumer, this.logger);
  }

  get consumer(): string {
    return this.subscription.consumer;
  }

  /** True while its consumer (or stream) is gone and provisioning has not made it again. */
  get isLost(): boolean {
    return this.lost;
  }

  async start(): Promise<void> {
    const consumer = await this.deps.nats.jetstream.consumers.get(
      this.subscription.stream,
      this.subscription.consumer,
    );
    const { ack_wait: ackWait } = (await consumer.info(true)).config;
    if (ackWait) this.ackWaitMs = Math.round(ackWait / 1_000_000);
    const messages = await consumer.consume({ max_messages: this.deps.options.concurrency });
    this.messages = messages;
    const pump = this.run(messages).finally(() => this.pumps.delete(pump));
    this.pumps.add(pump);
    void this.restoreWhenLost(messages);
  }

  /** Stops pulling, then waits for the messages in hand to finish and be acked. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.outage.open();
    await this.messages?.close();
    await Promise.all(this.pumps);
    await Promise.all(this.inFlight);
  }

  /**
   * A consumer deleted by an operator, or lost with its stream or a wiped
   * server, is reported once (log, readiness, metric) and looked for until
   * provisioning made it again; then it is pulled afresh. The app does not
   * make it itself: its NATS user may not, and the catalog's settings are
   * provisioning's to apply. The messages in hand carry on.
   */
  private async restoreWhenLost(messages: ConsumerMessages): Promise<void> {
    for await (const status of messages.status()) {
      if (!LOST.has(status.type) || this.stopping) continue;
      this.lost = true;
      const name = `${this.subscription.stream}/${this.subscription.consumer}`;
      this.logger.error(`consumer ${name} is gone (${status.type}): ${PROVISION_HINT}`);
      await messages.close();
      while (!this.stopping) {
        await sleep(LOST_POLL_MS);
        try {
          await this.start();
        } catch {
          continue;
        }
        this.lost = false;
        this.logger.log(`consumer ${name} is back: pulling again`);
        return;
      }
      return;
    }
  }

  private async run(messages: ConsumerMessages): Promise<void> {
    for await (const message of messages) {
      await this.outage.passed();
      // Not started: JetStream gives it to another replica once its ack wait is over.
      if (this.stopping) break;
      const task = this.process(message).finally(() => this.inFlight.delete(task));
      this.inFlight.add(task);
      if (this.inFlight.size >= this.deps.options.concurrency) await Promise.race(this.inFlight);
    }
  }

  private process(message: JsMsg): Promise<void> {
    const { options } = this.deps;
    const attempt = message.info.deliveryCount;
    const decoded = decode(message, this.subscription.message, this.deps.signatures);
    if (!decoded.ok && decoded.newerVersion) return this.handBack(message, decoded.reason);
    if (!decoded.ok) return this.deadLetter(message, decoded.reason, 'rejected');
    // Deliveries outrun attempts when a message waits in a busy replica past the
    // ack wait, or when attempts die with their process. Far past the budget it
    // is a crash loop: park it rather than crash again.
    if (attempt > crashLoopDeliveries(decoded.metadata.messageVersion, options)) {
      return this.deadLetter(
        message,
        `no attempt completed in ${attempt - 1} deliveries`,
        'exhausted',
      );
    }
    const { metadata } = decoded;
    return this.telemetry.inProcessSpan(
      message.subject,
      metadata,
      { 'messaging.nats.delivery_attempt': attempt },
      () => this.handle(message, decoded.payload, metadata),
    );
  }

  /** A version this build does not know: for a newer replica, or for the dead letters. */
  private async handBack(message: JsMsg, reason: string): Promise<void> {
    const deliveries = message.info.deliveryCount;
    const decision = afterNewerVersion(deliveries, this.deps.options);
    if (decision.action === 'dead-letter') {
      return this.deadLetter(message, reason, 'newer-version');
    }
    this.logger.warn({
      msg: `handed back for a newer replica, again in ${decision.delayMs} ms: ${reason}`,
      consumer: this.subscription.consumer,
      deliveries,
    });
    message.nak(decision.delayMs);
  }

  private async handle(message: JsMsg, payload: unknown, metadata: MessageMetadata): Promise<void> {
    const { options } = this.deps;
    const attempt = message.info.deliveryCount;
    const labels = this.telemetry.labelsOf(metadata);
    const fields = this.telemetry.logFieldsOf(metadata, attempt);
    const started = performance.now();
    const keepAlive = setInterval(() => message.working(), Math.max(1_000, this.ackWaitMs / 2));
    try {
      const first = await this.applyThroughOutages(payload, metadata, attempt);
      message.ack();
      this.telemetry.recordSuccess(first, metadata, fields, started);
    } catch (error) {
      if (isDatabaseUnreachable(error)) {
        // Stopping during an outage: not the message's failure either; redelivered at once.
        message.nak();
        return;
      }
      metrics.failed.inc(labels);
      const reason = describe(error);
      const decision = afterFailure(attempt, options);
      if (decision.action === 'retry') {
        metrics.retried.inc(labels);
        this.logger.warn({
          msg: `failed, retrying in ${decision.delayMs} ms: ${reason}`,
          ...fields,
        });
        message.nak(decision.delayMs);
      } else {
        await this.deadLetter(message, reason, 'exhausted');
      }
    } finally {
      clearInterval(keepAlive);
    }
  }

  /**
   * The message's work, tried again while the database cannot be reached
   * (the ack deadline kept pushed back meanwhile), until it answers or the
   * worker stops: only a failure of the work itself counts as an attempt.
   */
  private async applyThroughOutages(
    payload: unknown,
    metadata: MessageMetadata,
    attempt: number,
  ): Promise<boolean> {
    for (let wait = OUTAGE_FIRST_WAIT_MS; ; wait = Math.min(wait * 2, OUTAGE_MAX_WAIT_MS)) {
      try {
        const first = await this.applyOnce(payload, metadata, attempt);
        this.outage.open();
        return first;
      } catch (error) {
        if (this.stopping || !isDatabaseUnreachable(error)) throw error;
        this.outage.close(describe(error));
        await sleep(wait);
      }
    }
  }

  /**
   * Handles a dead letter again, here and now, through the same inbox and
   * transaction as a delivery; fails with the handler's error, leaving the
   * caller to keep the letter. Nothing is published: a replayed event reaches
   * only the app that gave up on it, and needs no right to publish it.
   */
  async replay(letter: RawMessage): Promise<ReplayOutcome> {
    const decoded = decode(letter, this.subscription.message, this.deps.signatures);
    if (!decoded.ok) throw new ReplayRejected(decoded.reason);
    const { metadata } = decoded;
    return this.telemetry.inProcessSpan(
      letter.subject,
      metadata,
      { 'messaging.nats.replayed_dead_letter': true },
      async () => {
        const started = performance.now();
        try {
          const first = await this.applyOnce(decoded.payload, metadata, 1);
          this.telemetry.recordSuccess(
            first,
            metadata,
            this.telemetry.logFieldsOf(metadata, 1),
            started,
          );
          return first ? 'handled' : 'handled before';
        } catch (error) {
          metrics.failed.inc(this.telemetry.labelsOf(metadata));
          throw error;
        }
      },
    );
  }

  /**
   * The inbox claim and the handler's effects, in one transaction: true if it
   * was the first time. A first delivery to a quick handler may share its
   * transaction with other work; a redelivery runs alone, so a message that
   * crashes its process takes no other message down with it twice.
   */
  private applyOnce(
    payload: unknown,
    metadata: MessageMetadata,
    attempt: number,
  ): Promise<boolean> {
    const entry = {
      consumer: this.subscription.consumer,
      messageId: metadata.messageId,
      messageType: metadata.messageType,
    };
    return this.deps.transactions.runOnce(
      { claimer: inbox, key: entry },
      async () => {
        const started = performance.now();
        await this.handler(payload, new JetStreamContext([metadata, attempt]));
        this.pace.record(performance.now() - started);
      },
      {
        cause: {
          causationId: metadata.messageId,
          correlationId: metadata.correlationId,
          traceparent: metadata.traceparent,
        },
        shared: attempt === 1 && this.pace.quick,
      },
    );
  }

  private async deadLetter(
    message: JsMsg,
    reason: string,
    cause: 'exhausted' | 'rejected' | 'newer-version',
  ): Promise<void> {
    const messageType = this.subscription.message.name;
    try {
      await this.deps.deadLetters.store(message, this.subscription, reason);
      message.ack();
      metrics.deadLettered.inc({
        consumer: this.subscription.consumer,
        message_type: messageType,
        cause,
      });
      this.logger.error({
        msg: `dead-lettered ${message.subject} #${message.seq}: ${reason}`,
        consumer: this.subscription.consumer,
        messageType,
        deliveries: message.info.deliveryCount,
      });
    } catch (error) {
      // Not stored: keep the message and try again later.
      this.logger.warn(
        `cannot dead-letter ${message.subject} #${message.seq} yet: ${describe(error)}`,
      );
      message.nak(retryDelay(message.info.deliveryCount, this.deps.options));
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error)
    return String(error.message);
  return String(error);
}
