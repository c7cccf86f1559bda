import { Logger } from '@nestjs/common';
import {
  connectionOptions,
  withoutCredentials,
  type NatsConnectionSettings,
} from './nats-connection.js';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';

/** One NATS connection per process, shared by consumers, relay and health checks. */
export class NatsClient {
  private constructor(
    readonly connection: NatsConnection,
    readonly jetstream: JetStreamClient,
    readonly manager: JetStreamManager,
  ) {}

  static async connect(settings: NatsConnectionSettings, app: string): Promise<NatsClient> {
    const logger = new Logger('NATS');
    const url = withoutCredentials(settings.url);
    const connection = await connect({
      ...connectionOptions(settings, app),
      // A service outlives any NATS outage: never stop reconnecting.
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1_000,
      // Roughly doubles publish throughput; stack traces of async NATS errors are not worth it.
      noAsyncTraces: true,
    });
    void (async () => {
      for await (const status of connection.status()) {
        if (status.type === 'disconnect') logger.warn(`disconnected from ${url}, reconnecting`);
        if (status.type === 'reconnect') logger.log(`reconnected to ${url}`);
      }
    })();
    const manager = await jetstreamManager(connection);
    return new NatsClient(connection, jetstream(connection), manager);
  }

  get isConnected(): boolean {
    return (
      !this.connection.isClosed() &&
      !this.connection.isDraining() &&
      this.connection.info !== undefined
    );
  }

  /** Flushes what is in flight (acks, publishes) and closes. */
  async drain(): Promise<void> {
    if (!this.connection.isClosed() && !this.connection.isDraining()) await this.connection.drain();
  }
}
