import { Module, type DynamicModule } from '@nestjs/common';
import { DeadLetters } from './dead-letters/dead-letters.js';
import { JetStreamServer } from './jetstream/jetstream.server.js';
import { NatsClient } from './jetstream/nats-client.js';
import { MessagingLifecycle } from './messaging.lifecycle.js';
import { MESSAGING_OPTIONS, type MessagingOptions } from './messaging.options.js';
import { Outbox } from './outbox/outbox.js';
import { OutboxRelay } from './outbox/outbox-relay.js';
import { UnitOfWork } from './unit-of-work.js';

/**
 * JetStream transport, outbox, inbox and dead letters for one app. Needs a
 * TypeORM DataSource (whose migrations include `messagingMigrations`).
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        { provide: NatsClient, useFactory: () => NatsClient.connect(options.nats, options.app) },
        UnitOfWork,
        Outbox,
        OutboxRelay,
        DeadLetters,
        JetStreamServer,
        MessagingLifecycle,
      ],
      exports: [MESSAGING_OPTIONS, NatsClient, UnitOfWork, Outbox, DeadLetters, JetStreamServer],
    };
  }
}
