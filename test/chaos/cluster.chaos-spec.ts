import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streams } from '@app/contracts';
import { provisioningSettings } from '../../scripts/provision-nats/settings.js';
import { APPS, Platform } from '../e2e/platform.js';
import { PrivateNatsCluster } from '../support/nats-cluster.js';
import { PrivatePostgres } from '../support/private-postgres.js';
import { faultTable, recoverySeconds, settled, type FaultRow } from './settling.js';
import { SteadyLoad } from './steady-load.js';
import { allReady } from './verdict.js';

const STREAMS = streams.map((stream) => stream.name);
const NODES = 3;
const ORDERS_PER_FAULT = 150;
const LOAD_MS = 30_000;
const FAULT_AT_MS = 5_000;
const DOWN_MS = 3_000;
/** A Raft election takes a few seconds at most; past this the stream has no other copy to lead. */
const ELECTION_MS = 15_000;
const ACK_WAIT_MS = 4_000;

/** What a production deployment gives provisioning for a three-node cluster (k8s production overlay). */
const PROVISIONING = {
  MESSAGING_STREAM_REPLICAS: String(NODES),
  MESSAGING_ACK_WAIT_MS: String(ACK_WAIT_MS),
};

/** As the single-server chaos rows: settings a production deployment would choose, scaled down. */
const RESILIENT = {
  MESSAGING_RETRY_BASE_MS: '500',
  MESSAGING_RETRY_MAX_MS: '5000',
  MESSAGING_CONCURRENCY: '8',
  ORDERS_RATE_LIMIT: '100000',
};

interface Fault {
  readonly name: string;
  /** The killed node comes back with an empty store, as a replaced machine. */
  readonly wiped: boolean;
}

const faults: Fault[] = [
  {
    name: `the leader of ${STREAMS.join(', ')} in turn SIGKILLed, back ${DOWN_MS / 1_000} s later`,
    wiped: false,
  },
  {
    name: `the leader of ${STREAMS.join(', ')} in turn SIGKILLed, back ${DOWN_MS / 1_000} s later with its store wiped`,
    wiped: true,
  },
];

/** One stream's leader killed: who led, who took over, and how soon it was elected. */
interface Takeover {
  readonly stream: string;
  readonly killed: string;
  readonly successor: string;
  readonly electedSeconds: number;
}

interface Row extends FaultRow {
  readonly takeovers: Takeover[];
}

/**
 * The delivery guarantees on a three-node JetStream cluster, every stream
 * with a copy on each node: while orders flow, the node leading each stream
 * is killed in turn and brought back, with or without its store; the other
 * two elect a new leader and carry on, and every accepted order still ends
 * once, as the saga says.
 */
describe('chaos on a NATS cluster: a stream leader lost, nothing lost, nothing twice', () => {
  let postgres: PrivatePostgres;
  let cluster: PrivateNatsCluster;
  let platform: Platform<PrivateNatsCluster>;
  const rows: Row[] = [];

  beforeAll(async () => {
    postgres = await PrivatePostgres.start();
    cluster = await PrivateNatsCluster.start(NODES);
    platform = await Platform.on(cluster, {
      postgresAdminUrl: postgres.adminUrl,
      replicas: { orders: 2, payments: 2, shipping: 2, notifications: 2 },
      topology: provisioningSettings({ NATS_URL: cluster.url, ...PROVISIONING }).topology,
      env: Object.fromEntries(APPS.map((app) => [app, RESILIENT])),
    });
  });

  afterAll(async () => {
    if (rows.length > 0) console.log(table(rows));
    await platform?.dispose();
    await postgres?.dispose();
  });

  it('keeps a copy of every stream on each node', async () => {
    for (const stream of STREAMS) {
      const info = await cluster.streamInfo(stream);
      const peers = [info.cluster?.leader, ...(info.cluster?.replicas ?? []).map((r) => r.name)];
      expect(peers.filter(Boolean).sort(), `${stream}'s peers`).toEqual(
        cluster.nodes.map((node) => node.name),
      );
    }
  });

  it.each(faults.map((fault) => [fault.name, fault] as const))(
    'every accepted order ends once, as the rules say, after: %s',
    async (name, fault) => {
      const load = new SteadyLoad(platform, ORDERS_PER_FAULT, LOAD_MS);
      await sleep(FAULT_AT_MS);
      const takeovers: Takeover[] = [];
      for (const stream of STREAMS) {
        takeovers.push(await killLeaderOf(cluster, stream, fault.wiped));
      }
      const recovery = await recoverySeconds(platform, load);

      await load.done;
      const verdict = await settled(platform, load);
      rows.push({ fault: name, recoverySeconds: recovery, takeovers, ...verdict });

      expect(load.rejected, 'orders never accepted').toEqual([]);
      expect(verdict.problems).toEqual([]);
      expect(verdict).toMatchObject({
        orders: ORDERS_PER_FAULT,
        terminal: ORDERS_PER_FAULT,
        duplicates: 0,
        lost: 0,
        deadLetters: 0,
        wrong: 0,
      });
      expect(await allReady(platform)).toBe(true);
    },
  );
});

/**
 * SIGKILLs the node leading `stream`, waits for the others to elect a new
 * leader, brings the node back (empty when `wiped`) and waits until it has
 * caught up, so that the cluster can lose another node.
 */
async function killLeaderOf(
  cluster: PrivateNatsCluster,
  stream: string,
  wiped: boolean,
): Promise<Takeover> {
  const killed = await cluster.streamLeader(stream);
  const election = await cluster.nextLeader(stream, ELECTION_MS);
  const killedAt = Date.now();
  await cluster.node(killed).kill();
  let successor: string;
  try {
    successor = await election.elected;
  } catch {
    // Back before failing, so that the next row starts on a whole cluster.
    await cluster.restart(killed);
    throw new Error(
      `${stream}: no node took the lead within ${ELECTION_MS / 1_000} s of ${killed}, its leader, being killed: has it no other copy?`,
    );
  }
  const electedSeconds = (Date.now() - killedAt) / 1_000;
  await sleep(Math.max(0, killedAt + DOWN_MS - Date.now()));
  await cluster.restart(killed, { wiped });
  await cluster.caughtUp(STREAMS);
  return { stream, killed, successor, electedSeconds };
}

function table(rows: Row[]): string {
  return faultTable(rows, {
    title: 'new leaders',
    cell: (row) =>
      row.takeovers
        .map((t) => `${t.stream} ${t.killed}→${t.successor} ${t.electedSeconds.toFixed(1)} s`)
        .join(', '),
  });
}
