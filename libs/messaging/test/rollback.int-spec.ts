import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { terminateAllServices } from '../../../test/support/service-process.js';
import type { TestDatabase } from '../../../test/support/test-database.js';
import { ProbeHappened, RecordProbe } from '../../../test/messaging-probe/src/probe.messages.js';
import { ProbeSystem } from './probe-harness.js';

/** What the outbox promises: a message is sent if and only if the work that recorded it commits. */
describe('messages of a transaction that rolls back', () => {
  let system: ProbeSystem;

  beforeAll(async () => {
    system = await ProbeSystem.create();
  });
  afterEach(() => terminateAllServices());
  afterAll(() => system.dispose());

  /** Each handler run of a probe's RecordProbe, by delivery attempt; rolled-back runs included. */
  const attemptsOf = async (database: TestDatabase, probeId: string) =>
    (
      await database.query<{ attempt: number }>(
        'SELECT attempt FROM probe_attempts WHERE probe_id = $1 ORDER BY attempt',
        [probeId],
      )
    ).map((row) => row.attempt);

  /** Committed effects of a probe: its RecordProbe, and each ProbeHappened the probe heard. */
  const effectsOf = async (database: TestDatabase, probeId: string) =>
    (
      await database.query<{ message_type: string }>(
        'SELECT message_type FROM probe_effects WHERE probe_id = $1 ORDER BY message_type DESC',
        [probeId],
      )
    ).map((row) => row.message_type);

  /** Handled, and its ProbeHappened heard back: published (once or more, checked after). */
  const handledWithItsEvent = expect.arrayContaining([RecordProbe.name, ProbeHappened.name]);

  /** How many ProbeHappened the EVENTS stream holds for each probe. */
  async function eventsPerProbe(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const event of await system.wire.storedMessages('EVENTS', ProbeHappened.subject)) {
      const { probeId } = JSON.parse(event.body) as ProbeHappened;
      counts.set(probeId, (counts.get(probeId) ?? 0) + 1);
    }
    return counts;
  }

  it('publishes nothing of a transaction that rolls back: after the retry, one effect and one ProbeHappened on the stream', async () => {
    const database = system.database();
    await system.startReady({ database });
    const probeId = randomUUID();

    await system.wire.publish(RecordProbe, { probeId, publishThenFailOnce: true });

    await eventually(async () => {
      expect(await attemptsOf(database, probeId)).toEqual([1, 2]);
      expect(await effectsOf(database, probeId)).toEqual(handledWithItsEvent);
      expect(await database.query('SELECT id FROM outbox')).toEqual([]);
    });
    // The first attempt's ProbeHappened rolled back with it: only the retry's reached NATS.
    expect(await system.eventsOf(probeId)).toHaveLength(1);
    expect(await effectsOf(database, probeId)).toEqual([RecordProbe.name, ProbeHappened.name]);
  });

  it('publishes nothing of a shared transaction that rolls back: each message in it commits alone, with one ProbeHappened', async () => {
    const database = system.database();
    // One transaction at a time: messages that arrive while it is open share the next one.
    await system.startReady({ database, env: { DATABASE_TRANSACTIONS: '1' } });
    const failing: string[] = [];
    const passing: string[] = [];
    /** Probes whose first attempt ran twice: in a shared transaction that rolled back, then alone. */
    const reran = async () =>
      database.query<{ probe_id: string }>(
        `SELECT probe_id FROM probe_attempts WHERE attempt = 1
         GROUP BY probe_id HAVING count(*) > 1`,
      );

    // Messages share a transaction only once their handler has shown it is quick, and
    // only if they arrive together: bursts until one shared transaction has rolled back.
    for (let burst = 0; burst < 10 && (await reran()).length === 0; burst += 1) {
      const pairs = Array.from({ length: 8 }, () => [randomUUID(), randomUUID()] as const);
      // Interleaved, so that a shared transaction holds messages of both kinds.
      await Promise.all(
        pairs.flatMap(([fails, passes]) => [
          system.wire.publish(RecordProbe, { probeId: fails, publishThenFailOnce: true }),
          system.wire.publish(RecordProbe, { probeId: passes, emitEvent: true }),
        ]),
      );
      failing.push(...pairs.map(([fails]) => fails));
      passing.push(...pairs.map(([, passes]) => passes));
      await eventually(
        async () => {
          for (const [fails, passes] of pairs) {
            for (const probeId of [fails, passes]) {
              expect(await effectsOf(database, probeId)).toEqual(handledWithItsEvent);
            }
          }
        },
        { timeoutMs: 30_000 },
      );
    }
    expect(await reran()).not.toEqual([]);

    await eventually(async () => expect(await database.query('SELECT id FROM outbox')).toEqual([]));
    const events = await eventsPerProbe();
    const notOnce = [...failing, ...passing]
      .map((probeId) => ({ probeId, events: events.get(probeId) ?? 0 }))
      .filter((probe) => probe.events !== 1);
    expect(notOnce).toEqual([]);
    for (const probeId of [...failing, ...passing]) {
      expect(await effectsOf(database, probeId)).toEqual([RecordProbe.name, ProbeHappened.name]);
    }
  });
});
