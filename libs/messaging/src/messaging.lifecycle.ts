import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { NatsClient } from './jetstream/nats-client.js';
import { OutboxRelay } from './outbox/outbox-relay.js';

/**
 * Runs after the transport has stopped its consumers (Nest closes transports
 * first) and before the database closes (global modules close last), so the
 * messages recorded by the last handlers are still published, and every ack
 * is flushed by the drain.
 */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly nats: NatsClient,
  ) {}

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.nats.drain();
  }
}
