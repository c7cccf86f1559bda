import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import type { ServiceProcess } from '../../../test/support/service-process.js';
import type { TestDatabase } from '../../../test/support/test-database.js';
import { RecordProbe } from '../../../test/messaging-probe/src/probe.messages.js';
import { ProbeSystem } from './probe-harness.js';

describe('failing handlers and bad messages', () => {
  let system: ProbeSystem;
  let database: TestDatabase;
  let probe: ServiceProcess;

  beforeAll(async () => {
    system = await ProbeSystem.create();
    database = system.database();
    probe = await system.startReady({ database });
  });
  afterAll(() => system.dispose());

  const attemptsOf = (probeId: string) =>
    database.query<{ attempt: number }>(
      'SELECT attempt FROM probe_attempts WHERE probe_id = $1 ORDER BY attempt',
      [probeId],
    );
  const effectsOf = (probeId: string) =>
    database.query('SELECT message_id FROM probe_effects WHERE probe_id = $1', [probeId]);

  it('handles a message once when its handler fails twice and then succeeds', async () => {
    const probeId = randomUUID();
    await system.wire.publish(RecordProbe, { probeId, failTimes: 2 });

    await eventually(async () => expect(await effectsOf(probeId)).toHaveLength(1));
    expect(await attemptsOf(probeId)).toEqual([{ attempt: 1 }, { attempt: 2 }, { attempt: 3 }]);
  });

  it('dead-letters a message after the last attempt, with its error, while other messages keep flowing', async () => {
    const poisonId = randomUUID();
    const { messageId } = await system.wire.publish(RecordProbe, {
      probeId: poisonId,
      alwaysFail: true,
    });
    const healthyIds = Array.from({ length: 20 }, () => randomUUID());
    await Promise.all(healthyIds.map((probeId) => system.wire.publish(RecordProbe, { probeId })));

    const letter = await system.deadLetterOf(messageId);
    expect(letter.headers['dead-letter-reason']).toBe(`probe ${poisonId} failed on attempt 5`);
    expect(letter.headers['dead-letter-deliveries']).toBe('5');
    expect(letter.headers['dead-letter-subject']).toBe(RecordProbe.subject);
    expect(letter.headers['message-type']).toBe('RecordProbe');
    expect(JSON.parse(letter.body)).toMatchObject({ probeId: poisonId, alwaysFail: true });
    expect(await attemptsOf(poisonId)).toHaveLength(5);
    expect(await effectsOf(poisonId)).toHaveLength(0);
    for (const probeId of healthyIds) expect(await effectsOf(probeId)).toHaveLength(1);
    await eventually(async () => {
      const consumer = await system.wire.consumerInfo('COMMANDS', 'probe-RecordProbe');
      expect([consumer.num_pending, consumer.num_ack_pending]).toEqual([0, 0]);
    });
  });

  it('dead-letters a body that is not JSON at once, without calling the handler, and stays up', async () => {
    const { messageId } = await system.wire.publish(RecordProbe, undefined, {
      raw: new TextEncoder().encode('{"probeId": '),
    });

    const letter = await system.deadLetterOf(messageId);
    expect(letter.headers['dead-letter-reason']).toMatch(/^malformed body: /);
    expect(letter.headers['dead-letter-deliveries']).toBe('1');
    expect(letter.body).toBe('{"probeId": ');
    expect(probe.isRunning).toBe(true);
    await probe.ready();
  });

  it('dead-letters a body that breaks its schema at once, without calling the handler', async () => {
    const probeId = randomUUID();
    const { messageId } = await system.wire.publish(RecordProbe, { probeId, failTimes: -1 });

    const letter = await system.deadLetterOf(messageId);
    expect(letter.headers['dead-letter-reason']).toMatch(/^schema violation: failTimes: /);
    expect(letter.headers['dead-letter-deliveries']).toBe('1');
    expect(await attemptsOf(probeId)).toHaveLength(0);
    expect(probe.isRunning).toBe(true);
  });

  it('dead-letters a message without a Nats-Msg-Id at once, since it cannot be de-duplicated', async () => {
    const subject = RecordProbe.subject;
    await system.wire.jetstream.publish(
      subject,
      new TextEncoder().encode(JSON.stringify({ probeId: randomUUID() })),
    );

    await eventually(async () => {
      const letters = await system.wire.storedMessages('DEADLETTERS', 'dlq.probe.RecordProbe');
      expect(letters.map((letter) => letter.headers['dead-letter-reason'])).toContain(
        'missing header Nats-Msg-Id',
      );
    });
  });

  it('lists a dead letter for the operator, and replays it once the cause is fixed, with one effect', async () => {
    const probeId = randomUUID();
    await database.query('INSERT INTO probe_breakages (probe_id) VALUES ($1)', [probeId]);
    const { messageId } = await system.wire.publish(RecordProbe, { probeId, failUntilFixed: true });
    await system.deadLetterOf(messageId);

    const listed = await eventually(async () => {
      const response = await probe.admin('/dead-letters?limit=100');
      const body = (await response.json()) as { deadLetters: Array<Record<string, unknown>> };
      const letter = body.deadLetters.find((candidate) => candidate.messageId === messageId);
      if (!letter) throw new Error('not listed yet');
      return letter;
    });
    expect(listed).toMatchObject({
      messageType: 'RecordProbe',
      consumer: 'probe-RecordProbe',
      reason: `probe ${probeId} is broken`,
      deliveries: 5,
    });

    await database.query('DELETE FROM probe_breakages WHERE probe_id = $1', [probeId]);
    const replay = await probe.admin(`/dead-letters/${String(listed.sequence)}/replay`, {
      method: 'POST',
    });
    expect(replay.status).toBe(200);

    await eventually(async () =>
      expect(await effectsOf(probeId)).toEqual([{ message_id: messageId }]),
    );
    const again = await probe.admin(`/dead-letters/${String(listed.sequence)}/replay`, {
      method: 'POST',
    });
    expect(again.status).toBe(404);
    const remaining = (await (await probe.admin('/dead-letters?limit=100')).json()) as {
      deadLetters: Array<{ messageId: string }>;
    };
    expect(remaining.deadLetters.map((letter) => letter.messageId)).not.toContain(messageId);
  });
});
