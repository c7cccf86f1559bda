import { Logger, type FactoryProvider, type OnApplicationShutdown } from '@nestjs/common';
import {
  connect,
  errors,
  type Msg,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';
import { connectionOptions, withoutCredentials } from '@app/messaging';
import { InfrastructureUnavailable } from '@app/runtime';
import { FLOW_VIEW_APP, FLOW_VIEW_CONFIG, type FlowViewConfig } from '../config.js';

const CONNECT_TIMEOUT_MS = 5_000;

/**
 * The flow view's one NATS connection: core NATS, subscriptions only (its
 * NATS user may publish nothing). It outlives any outage: it reconnects, and
 * its subscriptions with it.
 */
export class WireConnection implements OnApplicationShutdown {
  private readonly logger = new Logger('NATS');
  private connected = true;

  constructor(private readonly nats: NatsConnection) {
    void this.followStatus();
  }

  static async connect(config: FlowViewConfig): Promise<WireConnection> {
    const settings = {
      url: config.NATS_URL,
      user: config.NATS_USER,
      password: config.NATS_PASSWORD,
    };
    try {
      return new WireConnection(
        await connect({
          ...connectionOptions(settings, FLOW_VIEW_APP),
          timeout: CONNECT_TIMEOUT_MS,
          maxReconnectAttempts: -1,
          reconnectTimeWait: 1_000,
        }),
      );
    } catch (error) {
      throw new InfrastructureUnavailable(
        refusal(error, withoutCredentials(settings.url), settings.user),
      );
    }
  }

  get isConnected(): boolean {
    return this.connected && !this.nats.isClosed() && !this.nats.isDraining();
  }

  subscribe(subject: string, receive: (message: Msg) => void): Subscription {
    return this.nats.subscribe(subject, {
      callback: (error, message) => {
        if (!error) receive(message);
      },
    });
  }

  /** Resolves once the server has processed everything sent so far (subscriptions included). */
  flush(): Promise<void> {
    return this.nats.flush();
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.nats.isClosed() && !this.nats.isDraining()) await this.nats.drain();
  }

  private async followStatus(): Promise<void> {
    for await (const status of this.nats.status()) {
      if (status.type === 'disconnect') {
        this.connected = false;
        this.logger.warn('disconnected from NATS, reconnecting');
      }
      if (status.type === 'reconnect') {
        this.connected = true;
        this.logger.log('reconnected to NATS');
      }
    }
  }
}

function refusal(error: unknown, url: string, user: string | undefined): string {
  if (error instanceof errors.AuthorizationError) {
    return user
      ? `NATS at ${url} refused user "${user}": check NATS_USER and NATS_PASSWORD`
      : `NATS at ${url} requires a user: set NATS_USER and NATS_PASSWORD`;
  }
  return `cannot reach NATS at ${url}: start NATS (nats-server -js) or set NATS_URL`;
}

export const wireConnectionProvider: FactoryProvider<Promise<WireConnection>> = {
  provide: WireConnection,
  inject: [FLOW_VIEW_CONFIG],
  useFactory: (config: FlowViewConfig) => WireConnection.connect(config),
};
