import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { streams } from '@app/contracts';
import { JetStreamServer, NatsClient, PROVISION_HINT } from '@app/messaging';
import type { DependencyCheck } from './readiness.js';

const CHECK_TIMEOUT_MS = 2_000;

/**
 * Asks each dependency whether it answers, for the readiness answer and the
 * availability gauges: the database (required), NATS, the streams and this
 * app's consumers (reported only).
 */
@Injectable()
export class DependencyChecks {
  constructor(
    private readonly dataSource: DataSource,
    private readonly nats: NatsClient,
    private readonly transport: JetStreamServer,
  ) {}

  async all(): Promise<DependencyCheck[]> {
    const [database, nats] = await Promise.all([this.database(), this.natsServer()]);
    const [streamChecks, consumerChecks] = await Promise.all([
      this.streams(nats),
      this.consumers(nats),
    ]);
    return [database, nats, ...streamChecks, ...consumerChecks];
  }

  database(): Promise<DependencyCheck> {
    return check('database', true, () => this.dataSource.query('SELECT 1'));
  }

  /** A round trip to the server: fails at once while the client is reconnecting. */
  natsServer(): Promise<DependencyCheck> {
    return check('nats', false, () => this.nats.connection.rtt());
  }

  /** Each stream the platform stores messages in; not asked while NATS is down. */
  streams(nats: DependencyCheck): Promise<Array<DependencyCheck & { stream: string }>> {
    return Promise.all(
      streams.map(async ({ name: stream }) => ({
        ...(nats.ok
          ? withHint(
              await check(`stream ${stream}`, false, () => this.nats.manager.streams.info(stream)),
            )
          : unreachable(`stream ${stream}`)),
        stream,
      })),
    );
  }

  /**
   * Each durable consumer this app reads, filtered as the catalog says (one
   * filtered otherwise would feed it another app's messages, or none); not
   * asked while NATS is down.
   */
  consumers(nats: DependencyCheck): Promise<Array<DependencyCheck & { consumer: string }>> {
    return Promise.all(
      this.transport.subscriptions.map(async ({ stream, consumer, message }) => ({
        ...(nats.ok
          ? withHint(
              await check(`consumer ${stream}/${consumer}`, false, async () => {
                const { config } = await this.nats.manager.consumers.info(stream, consumer);
                if (config.filter_subject !== message.subject) {
                  throw new Error(
                    `filters "${config.filter_subject ?? ''}", not "${message.subject}"`,
                  );
                }
              }),
            )
          : unreachable(`consumer ${stream}/${consumer}`)),
        consumer,
      })),
    );
  }
}

async function check(
  name: string,
  required: boolean,
  probe: () => Promise<unknown>,
): Promise<DependencyCheck> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { name, ok: true, required };
  } catch (error) {
    return { name, ok: false, required, detail: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** With NATS up, a stream or consumer that does not answer is one provisioning makes again. */
function withHint(found: DependencyCheck): DependencyCheck {
  return found.ok ? found : { ...found, detail: `${found.detail}; ${PROVISION_HINT}` };
}

function unreachable(name: string): DependencyCheck {
  return { name, ok: false, required: false, detail: 'NATS is not connected' };
}
