import { jetstreamManager } from '@nats-io/jetstream';
import type { MessageDefinition } from '@app/contracts';
import {
  subscriptionFor,
  topologyDefaults,
  topologyOf,
  type Topology,
  type TopologySettings,
} from '@app/messaging';
import { ProbeHappened, RecordProbe } from '../../../test/messaging-probe/src/probe.messages.js';
import { eventually } from '../../../test/support/eventually.js';
import { PrivateNatsServer } from '../../../test/support/nats-server.js';
import { killAllServices, ServiceProcess } from '../../../test/support/service-process.js';
import { TestDatabase } from '../../../test/support/test-database.js';
import { Wire, type StoredMessage } from '../../../test/support/wire.js';

const PROBE_ENTRY = 'dist/test/messaging-probe/main.js';

/** Settings that keep retries and redeliveries short enough for a test. */
const FAST = {
  MESSAGING_RETRY_BASE_MS: '50',
  MESSAGING_RETRY_MAX_MS: '400',
  OUTBOX_POLL_MS: '200',
};
/** Long enough that a message waiting in a busy replica's pull buffer is not redelivered. */
const ACK_WAIT_MS = 10_000;

/**
 * The probe's streams and consumers: as "probe" it receives RecordProbe and
 * hears its own ProbeHappened; as "probe-listener" it only hears ProbeHappened.
 */
export function probeTopology(settings: Partial<TopologySettings> = {}): Topology {
  return topologyOf(
    [
      {
        app: 'probe',
        subscriptions: [
          subscriptionFor('probe', RecordProbe),
          subscriptionFor('probe', ProbeHappened),
        ],
      },
      { app: 'probe-listener', subscriptions: [subscriptionFor('probe-listener', ProbeHappened)] },
    ],
    { ...topologyDefaults, ackWaitMs: ACK_WAIT_MS, ...settings },
  );
}

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
  private ackWaitMs = ACK_WAIT_MS;

  private constructor(
    readonly nats: PrivateNatsServer,
    public wire: Wire,
  ) {}

  /** After the test restarted NATS. */
  async reconnectWire(): Promise<void> {
    this.wire = await Wire.connect(this.nats.url);
  }

  /**
   * For afterEach: a test that stopped NATS or closed the wire and then failed
   * midway leaves both up again, so that its failure is not the next test's.
   */
  async heal(): Promise<void> {
    if (!this.nats.isRunning) await this.nats.resume();
    if (this.wire.connection.isClosed()) await this.reconnectWire();
  }

  /**
   * The probe's streams and consumers, as `npm run provision:nats` makes the
   * catalog's; again with another ack wait for a test that wants one.
   */
  async provision(settings: Partial<TopologySettings> = {}): Promise<void> {
    await this.nats.provision(probeTopology(settings));
    this.ackWaitMs = settings.ackWaitMs ?? ACK_WAIT_MS;
  }

  /** Removes a message from a stream, if it is still there. */
  async discard(stream: string, seq: number): Promise<void> {
    const manager = await jetstreamManager(this.wire.connection);
    await manager.streams.deleteMessage(stream, seq, false).catch(() => undefined);
  }

  /** The ProbeHappened messages stored for one probe: the subject is shared, the body tells them apart. */
  async eventsOf(probeId: string): Promise<StoredMessage[]> {
    const events = await this.wire.storedMessages('EVENTS', ProbeHappened.subject);
    return events.filter((event) => (JSON.parse(event.body) as ProbeHappened).probeId === probeId);
  }

  static async create(): Promise<ProbeSystem> {
    const nats = await PrivateNatsServer.start();
    await nats.provision(probeTopology());
    return new ProbeSystem(nats, await Wire.connect(nats.url));
  }

  database(app = 'probe'): TestDatabase {
    const database = TestDatabase.reserve(app.replaceAll('-', '_'));
    this.databases.push(database);
    return database;
  }

  /**
   * Starts a probe process. `MESSAGING_ACK_WAIT_MS` in its env is a consumer
   * setting, provisioned (not read by the app): the consumers get it first.
   */
  async start(options: ProbeOptions): Promise<ServiceProcess> {
    const ackWaitMs = Number(options.env?.MESSAGING_ACK_WAIT_MS ?? ACK_WAIT_MS);
    if (ackWaitMs !== this.ackWaitMs) await this.provision({ ackWaitMs });
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

  /** The dead letter the probe made of message `messageId`, once it is there. */
  deadLetterOf(messageId: string): Promise<StoredMessage> {
    return eventually(async () => {
      const letters = await this.wire.storedMessages('DEADLETTERS', 'dlq.probe.RecordProbe');
      const letter = letters.find(
        (candidate) => candidate.headers['dead-letter-message-id'] === messageId,
      );
      if (!letter) throw new Error(`no dead letter for ${messageId}`);
      return letter;
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

/**
 * The row a replica leaves in its outbox when it dies between its commit and
 * its publish, old enough for any replica's poll to take it. Its headers are
 * those of a build from before message versions: the relay publishes them as
 * they are, and receivers read the message as version 1.
 */
export async function leaveOrphanedOutboxRow(
  database: TestDatabase,
  message: MessageDefinition,
  { messageId, probeId }: { readonly messageId: string; readonly probeId: string },
): Promise<void> {
  await database.query(
    `INSERT INTO outbox (id, subject, headers, payload, created_at)
     VALUES ($1, $2, $3, $4, now() - interval '1 minute')`,
    [
      messageId,
      message.subject,
      JSON.stringify({
        'Nats-Msg-Id': messageId,
        'message-type': message.name,
        'correlation-id': probeId,
        'causation-id': messageId,
      }),
      JSON.stringify({ probeId }),
    ],
  );
}
