import { PrivateNatsServer } from '../../../test/support/nats-server.js';
import { killAllServices, ServiceProcess } from '../../../test/support/service-process.js';
import { TestDatabase } from '../../../test/support/test-database.js';
import { Wire } from '../../../test/support/wire.js';

const PROBE_ENTRY = 'dist/test/messaging-probe/main.js';

/** Settings that keep retries and redeliveries short enough for a test. */
const FAST = {
  MESSAGING_RETRY_BASE_MS: '50',
  MESSAGING_RETRY_MAX_MS: '400',
  // Long enough that a message waiting in a busy replica's pull buffer is not redelivered.
  MESSAGING_ACK_WAIT_MS: '10000',
  OUTBOX_POLL_MS: '200',
};

export interface ProbeOptions {
  readonly app?: string;
  readonly replica?: string;
  readonly database: TestDatabase;
  readonly env?: Record<string, string>;
  /** Its HTTP port; a free one when omitted. */
  readonly port?: number;
}

/**
 * A private NATS, the probe app's databases and its processes: everything one
 * test file needs to exercise the messaging layer for real.
 */
export class ProbeSystem {
  private readonly databases: TestDatabase[] = [];

  private constructor(
    readonly nats: PrivateNatsServer,
    public wire: Wire,
  ) {}

  /** After the test restarted NATS. */
  async reconnectWire(): Promise<void> {
    this.wire = await Wire.connect(this.nats.url);
  }

  static async create(): Promise<ProbeSystem> {
    const nats = await PrivateNatsServer.start();
    return new ProbeSystem(nats, await Wire.connect(nats.url));
  }

  database(app = 'probe'): TestDatabase {
    const database = TestDatabase.reserve(app.replaceAll('-', '_'));
    this.databases.push(database);
    return database;
  }

  start(options: ProbeOptions): Promise<ServiceProcess> {
    return ServiceProcess.start({
      entry: PROBE_ENTRY,
      port: options.port,
      env: {
        ...FAST,
        PROBE_APP: options.app ?? 'probe',
        PROBE_REPLICA: options.replica ?? '1',
        NATS_URL: this.nats.url,
        DATABASE_URL: options.database.url,
        ...options.env,
      },
    });
  }

  async startReady(options: ProbeOptions): Promise<ServiceProcess> {
    return (await this.start(options)).ready();
  }

  async dispose(): Promise<void> {
    await killAllServices();
    await this.wire.close().catch(() => undefined);
    await this.nats.dispose();
    await Promise.all(this.databases.map((database) => database.drop()));
  }
}
