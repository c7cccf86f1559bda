import { Module, type DynamicModule } from '@nestjs/common';
import { DeadLetters } from './dead-letters/dead-letters.js';
import { JetStreamServer } from './jetstream/jetstream.server.js';
import { NatsClient } from './jetstream/nats-client.js';
import { MessagingLifecycle } from './messaging.lifecycle.js';
import { MESSAGING_OPTIONS, type MessagingOptions } from './messaging.options.js';
import { Outbox, TransactionalOutbox } from './outbox/outbox.js';
import { OutboxRelay } from './outbox/outbox-relay.js';
import { CommandSignatures } from './signing/command-signatures.js';

/**
 * JetStream transport, outbox, inbox and dead letters for one app. Needs a
 * TypeORM DataSource (whose migrations include `messagingMigrations`) and
 * the TransactionsModule on it: the inbox and the outbox write in the
 * handler's transaction.
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        { provide: NatsClient, useFactory: () => NatsClient.connect(options.nats, options.app) },
        {
          provide: CommandSignatures,
          useValue: new CommandSignatures(options.app, options.signing ?? {}),
        },
        { provide: Outbox, useClass: TransactionalOutbox },
        OutboxRelay,
        DeadLetters,
        JetStreamServer,
        MessagingLifecycle,
      ],
      exports: [MESSAGING_OPTIONS, NatsClient, Outbox, DeadLetters, JetStreamServer],
    };
  }
}
