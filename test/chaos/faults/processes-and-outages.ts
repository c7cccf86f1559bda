import { setTimeout as sleep } from 'node:timers/promises';
import { APPS } from '../../e2e/platform.js';
import { ACK_WAIT_MS, type Fault } from '../fault.js';

const OUTAGE_MS = 6_000;

/** A process dies, a server goes away, a process freezes: each repaired within seconds. */
export const processesAndOutages: Fault[] = [
  {
    name: 'SIGKILL one replica of each app in turn, restarted 3 s later',
    inject: async ({ platform }) => {
      for (const app of APPS) {
        await platform.killReplica(app, 0);
        await sleep(3_000);
        await platform.startReplica(app);
      }
    },
  },
  {
    name: `NATS stopped for ${OUTAGE_MS / 1_000} s`,
    inject: async ({ platform }) => {
      await platform.nats.stop();
      await sleep(OUTAGE_MS);
      await platform.nats.resume();
    },
  },
  {
    name: `PostgreSQL stopped for ${OUTAGE_MS / 1_000} s`,
    inject: async ({ postgres }) => {
      await postgres.stop();
      await sleep(OUTAGE_MS);
      await postgres.resume();
    },
  },
  {
    name: `a payments replica frozen mid-handler past the ack wait (${(2.5 * ACK_WAIT_MS) / 1_000} s)`,
    redelivers: true,
    inject: async ({ platform }) => {
      const frozen = platform.replicas('payments')[0]!;
      process.kill(frozen.pid!, 'SIGSTOP');
      await sleep(2.5 * ACK_WAIT_MS);
      process.kill(frozen.pid!, 'SIGCONT');
    },
  },
];
