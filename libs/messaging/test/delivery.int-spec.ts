import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { RecordProbe } from '../../../test/messaging-probe/src/probe.messages.js';
import { ProbeSystem } from './probe-harness.js';

describe('JetStream delivery', () => {
  let system: ProbeSystem;

  beforeAll(async () => {
    system = await ProbeSystem.create();
  });
  afterAll(() => system.dispose());

  it('handles a command published while its receiving app is down, exactly once, after it starts', async () => {
    const database = system.database();
    // A first start provisions the streams and the consumer, as any deployment would.
    const first = await system.startReady({ database });
    expect(await first.terminate()).toBe(0);

    const probeId = randomUUID();
    const { messageId } = await system.wire.publish(RecordProbe, { probeId });

    await system.startReady({ database });
    const effects = await eventually(async () => {
      const rows = await database.query(
        'SELECT message_id FROM probe_effects WHERE probe_id = $1',
        [probeId],
      );
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(effects[0]).toEqual({ message_id: messageId });
    await eventually(async () => {
      const consumer = await system.wire.consumerInfo('COMMANDS', 'probe-RecordProbe');
      expect([consumer.num_pending, consumer.num_ack_pending]).toEqual([0, 0]);
    });
  });
});

describe('replicas', () => {
  let system: ProbeSystem;

  beforeAll(async () => {
    system = await ProbeSystem.create();
  });
  afterAll(() => system.dispose());

  it('gives each command to exactly one replica, and each event once to every subscribing app', async () => {
    const probeDatabase = system.database('probe');
    const listenerDatabase = system.database('probe-listener');
    // Sequential starts: one replica must create the database before the others share it.
    const replicas = [
      await system.startReady({ database: probeDatabase, replica: 'a' }),
      ...(await Promise.all([
        system.startReady({ database: probeDatabase, replica: 'b' }),
        system.startReady({ database: probeDatabase, replica: 'c' }),
      ])),
      await system.startReady({ app: 'probe-listener', database: listenerDatabase, replica: 'x' }),
      await system.startReady({ app: 'probe-listener', database: listenerDatabase, replica: 'y' }),
    ];

    const commands = 300;
    const published = await Promise.all(
      Array.from({ length: commands }, () =>
        system.wire.publish(RecordProbe, { probeId: randomUUID(), emitEvent: true }),
      ),
    );

    const count = `SELECT count(*)::int AS rows, count(DISTINCT message_id)::int AS messages
                   FROM probe_effects WHERE message_type = $1`;
    await eventually(
      async () => {
        expect(await probeDatabase.query(count, ['RecordProbe'])).toEqual([
          { rows: commands, messages: commands },
        ]);
        expect(await probeDatabase.query(count, ['ProbeHappened'])).toEqual([
          { rows: commands, messages: commands },
        ]);
        expect(await listenerDatabase.query(count, ['ProbeHappened'])).toEqual([
          { rows: commands, messages: commands },
        ]);
      },
      { timeoutMs: 60_000 },
    ).catch(async (error: Error) => {
      // What went missing, and why: the dead letters and what the apps said.
      const letters = await system.wire.storedMessages('DEADLETTERS', 'dlq.>').catch(() => []);
      const logs = replicas.map((replica) =>
        replica.logs
          .split('\n')
          .filter((line) => /"level":(40|50)/.test(line))
          .slice(-20)
          .join('\n'),
      );
      throw new Error(
        `${error.message}\ndead letters: ${JSON.stringify(letters)}\nwarnings:\n${logs.join('\n')}`,
      );
    });

    const handled = await probeDatabase.query<{ message_id: string }>(
      `SELECT message_id FROM probe_effects WHERE message_type = 'RecordProbe'`,
    );
    expect(new Set(handled.map((row) => row.message_id))).toEqual(
      new Set(published.map((message) => message.messageId)),
    );
    // Not one attempt anywhere but the one that took effect.
    expect(
      await probeDatabase.query('SELECT count(*)::int AS attempts FROM probe_attempts'),
    ).toEqual([{ attempts: commands }]);
    const sharing = await probeDatabase.query<{ replica: string }>(
      `SELECT DISTINCT replica FROM probe_effects WHERE message_type = 'RecordProbe'`,
    );
    expect(sharing.length).toBeGreaterThan(1);
  });
});
