import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { terminateAllServices } from '../../../test/support/service-process.js';
import type { TestDatabase } from '../../../test/support/test-database.js';
import { RecordProbe } from '../../../test/messaging-probe/src/probe.messages.js';
import { ProbeSystem } from './probe-harness.js';

describe('MESSAGING_MAX_ATTEMPTS', () => {
  let system: ProbeSystem;

  beforeAll(async () => {
    system = await ProbeSystem.create();
  });
  afterEach(() => terminateAllServices());
  afterAll(() => system.dispose());

  /** Publishes a message that always fails; resolves with its attempts once it is dead-lettered. */
  async function attemptsUntilDeadLettered(database: TestDatabase) {
    const probeId = randomUUID();
    const { messageId } = await system.wire.publish(RecordProbe, { probeId, alwaysFail: true });
    const letter = await eventually(async () => {
      const letters = await system.wire.storedMessages('DEADLETTERS', 'dlq.probe.RecordProbe');
      const found = letters.find(
        (candidate) => candidate.headers['dead-letter-message-id'] === messageId,
      );
      if (!found) throw new Error(`no dead letter for ${messageId}`);
      return found;
    });
    // Acked once stored: nothing redelivers it for another attempt.
    await eventually(async () => {
      const consumer = await system.wire.consumerInfo('COMMANDS', 'probe-RecordProbe');
      expect([consumer.num_pending, consumer.num_ack_pending]).toEqual([0, 0]);
    });
    const attempts = await database.query<{ attempt: number }>(
      'SELECT attempt FROM probe_attempts WHERE probe_id = $1 ORDER BY attempt',
      [probeId],
    );
    return {
      attempts: attempts.map((row) => row.attempt),
      deliveries: letter.headers['dead-letter-deliveries'],
    };
  }

  it('dead-letters a message that always fails after exactly the attempts it sets: 2 when set to 2', async () => {
    const database = system.database();
    await system.startReady({ database, env: { MESSAGING_MAX_ATTEMPTS: '2' } });

    expect(await attemptsUntilDeadLettered(database)).toEqual({
      attempts: [1, 2],
      deliveries: '2',
    });
  });

  it('gives a message that always fails 5 attempts when it is not set', async () => {
    const database = system.database();
    await system.startReady({ database });

    expect(await attemptsUntilDeadLettered(database)).toEqual({
      attempts: [1, 2, 3, 4, 5],
      deliveries: '5',
    });
  });
});
