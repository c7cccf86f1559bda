import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import type { ServiceProcess } from '../../../test/support/service-process.js';
import type { TestDatabase } from '../../../test/support/test-database.js';
import { RecordProbe } from '../../../test/messaging-probe/src/probe.messages.js';
import { leaveOrphanedOutboxRow, ProbeSystem } from './probe-harness.js';

/** Handed back three times, 100 ms apart, before it is parked. */
const NEWER_VERSION = {
  MESSAGING_NEWER_VERSION_DELIVERIES: '3',
  MESSAGING_NEWER_VERSION_DELAY_MS: '100',
};

describe('a message of a version newer than its consumer', () => {
  let system: ProbeSystem;
  let database: TestDatabase;
  let probe: ServiceProcess;

  beforeAll(async () => {
    system = await ProbeSystem.create();
    database = system.database();
    probe = await system.startReady({ database, env: NEWER_VERSION });
  });
  afterAll(() => system.dispose());

  const attemptsOf = (probeId: string) =>
    database.query('SELECT attempt FROM probe_attempts WHERE probe_id = $1', [probeId]);
  const effectsOf = (probeId: string) =>
    database.query('SELECT message_id FROM probe_effects WHERE probe_id = $1', [probeId]);

  async function replay(through: ServiceProcess, sequence: number) {
    const response = await through.admin(`/dead-letters/${String(sequence)}/replay`, {
      method: 'POST',
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function sequenceOf(through: ServiceProcess, messageId: string): Promise<number> {
    const response = await through.admin('/dead-letters?limit=100');
    const { deadLetters } = (await response.json()) as {
      deadLetters: Array<{ sequence: number; messageId: string }>;
    };
    const letter = deadLetters.find((candidate) => candidate.messageId === messageId);
    if (!letter) throw new Error(`${messageId} is not listed`);
    return letter.sequence;
  }

  it('is handed back, then dead-lettered with its version and why, never handled; replayed once the consumer is upgraded', async () => {
    const probeId = randomUUID();
    const { messageId } = await system.wire.publish(
      RecordProbe,
      { probeId },
      { messageVersion: 2 },
    );

    const letter = await system.deadLetterOf(messageId);
    expect(letter.headers).toMatchObject({
      'message-version': '2',
      'dead-letter-deliveries': '3',
      'dead-letter-reason':
        'message-version 2 of RecordProbe is newer than this consumer (knows 1..1): replay after upgrading',
    });
    expect(await attemptsOf(probeId)).toEqual([]);

    const sequence = await sequenceOf(probe, messageId);
    const tooEarly = await replay(probe, sequence);
    expect(tooEarly.status).toBe(422);
    expect(tooEarly.body.message).toMatch(/newer than this consumer/);
    expect(await sequenceOf(probe, messageId)).toBe(sequence);

    await probe.terminate();
    const upgraded = await system.startReady({
      database,
      env: { ...NEWER_VERSION, PROBE_READS_VERSION: '2' },
    });
    const replayed = await replay(upgraded, sequence);
    expect(replayed).toMatchObject({ status: 200, body: { outcome: 'handled' } });
    expect(await effectsOf(probeId)).toEqual([{ message_id: messageId }]);
    await upgraded.terminate();
  });

  it('publishes an outbox row written before versions, and handles it as version 1 in a build that reads 1 and 2', async () => {
    const probeId = randomUUID();
    const messageId = randomUUID();
    // Its headers carry no message-version: the relay publishes orphaned rows as they are.
    await leaveOrphanedOutboxRow(database, RecordProbe, { messageId, probeId });
    const upgraded = await system.startReady({
      database,
      env: { ...NEWER_VERSION, PROBE_READS_VERSION: '2' },
    });

    await eventually(async () =>
      expect(await effectsOf(probeId)).toEqual([{ message_id: messageId }]),
    );
    await upgraded.terminate();
  });

  it('reaches an upgraded replica sharing the consumer while it is handed back', async () => {
    const probeId = randomUUID();
    // Patient enough that only the newer replica's handling can end it.
    const patient = { ...NEWER_VERSION, MESSAGING_NEWER_VERSION_DELIVERIES: '1000' };
    const older = await system.startReady({ database, env: patient, replica: 'older' });
    const newer = await system.startReady({
      database,
      replica: 'newer',
      env: { ...patient, PROBE_READS_VERSION: '2' },
    });
    const { messageId } = await system.wire.publish(
      RecordProbe,
      { probeId },
      { messageVersion: 2 },
    );

    await eventually(async () =>
      expect(await effectsOf(probeId)).toEqual([{ message_id: messageId }]),
    );
    const handledBy = await database.query<{ replica: string }>(
      'SELECT replica FROM probe_effects WHERE probe_id = $1',
      [probeId],
    );
    expect(handledBy).toEqual([{ replica: 'newer' }]);
    await Promise.all([older.terminate(), newer.terminate()]);
  });
});
