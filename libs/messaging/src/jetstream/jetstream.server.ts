import { Inject, Injectable } from '@nestjs/common';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { MessageDefinition } from '@app/contracts';
import { Transactions } from '@app/transactions';
import { lastValueFrom } from 'rxjs';
import { DeadLetters } from '../dead-letters/dead-letters.js';
import { MESSAGING_OPTIONS, type MessagingOptions } from '../messaging.options.js';
import { CommandSignatures } from '../signing/command-signatures.js';
import { signingNotices } from '../signing/signing-keys.js';
import { ConsumerWorker } from './consumer-worker.js';
import type { JetStreamContext } from './jetstream.context.js';
import { NatsClient } from './nats-client.js';
import {
  describeProblems,
  inspectTopology,
  NatsTopologyMissing,
  PROVISION_HINT,
  type TopologyFound,
} from './topology-check.js';
import { subscriptionFor, type Subscription } from './topology.js';

export const MESSAGE_DEFINITION_EXTRA = 'messageDefinition';

/**
 * A Nest transport that serves `@HandleCommand` / `@HandleEvent` methods from
 * durable JetStream pull consumers, so that no message is lost while an app is
 * down or a handler fails (Nest's own NATS transport is core NATS: fire and forget).
 */
@Injectable()
export class JetStreamServer extends Server implements CustomTransportStrategy {
  // Handler errors must reach the transport: they decide retry and dead-lettering.
  override readonly propagatesEventHandlerErrors = true;
  private workers: ConsumerWorker[] = [];
  private subscribed: Subscription[] = [];

  constructor(
    private readonly nats: NatsClient,
    private readonly transactions: Transactions,
    private readonly deadLetters: DeadLetters,
    private readonly signatures: CommandSignatures,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {
    super();
  }

  /** The consumers this app reads, for readiness checks and operators. */
  get subscriptions(): readonly Subscription[] {
    return this.subscribed;
  }

  /**
   * What this app needs on NATS and does not find: for readiness and metrics.
   * Provisioning makes it; the app only looks.
   */
  inspectTopology(): Promise<TopologyFound> {
    return inspectTopology(this.nats.manager, this.options.app, this.subscribed);
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      this.subscribed = this.collectSubscriptions();
      const { problems } = await this.inspectTopology();
      if (problems.length > 0) {
        throw new NatsTopologyMissing(
          `NATS is not provisioned for ${this.options.app}: ${describeProblems(problems)}; ${PROVISION_HINT}`,
        );
      }
      const receivesCommands = this.subscribed.some((s) => s.message.kind === 'command');
      for (const notice of signingNotices(
        this.options.app,
        receivesCommands,
        this.options.signing ?? {},
      )) {
        this.logger.warn(notice);
      }
      this.workers = this.subscribed.map(
        (subscription) =>
          new ConsumerWorker(subscription, this.handlerFor(subscription), {
            nats: this.nats,
            transactions: this.transactions,
            deadLetters: this.deadLetters,
            options: this.options,
            signatures: this.signatures,
          }),
      );
      for (const worker of this.workers) {
        this.deadLetters.serveReplays(worker.consumer, (letter) => worker.replay(letter));
      }
      await Promise.all(this.workers.map((worker) => worker.start()));
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Stops taking messages and waits for those in hand to be handled and acked. */
  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((worker) => worker.stop()));
  }

  on(): never {
    throw new Error('JetStreamServer has no events to listen to');
  }

  unwrap<T>(): T {
    return this.nats.connection as T;
  }

  private collectSubscriptions(): Subscription[] {
    const subscriptions: Subscription[] = [];
    for (const handler of this.messageHandlers.values()) {
      const definition = handler.extras?.[MESSAGE_DEFINITION_EXTRA] as
        MessageDefinition | undefined;
      if (!definition) continue;
      if (handler.next)
        throw new Error(`${definition.name} has more than one handler in ${this.options.app}`);
      subscriptions.push(subscriptionFor(this.options.app, definition));
    }
    return subscriptions;
  }

  private handlerFor(subscription: Subscription) {
    const handler = this.getHandlerByPattern(subscription.message.subject);
    if (!handler) throw new Error(`no handler for ${subscription.message.subject}`);
    return async (payload: unknown, context: JetStreamContext): Promise<void> => {
      const result = await handler(payload, context);
      await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
    };
  }
}
