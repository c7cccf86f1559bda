import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import type { ServiceProcess } from '../../../test/support/service-process.js';
import type { TestDatabase } from '../../../test/support/test-database.js';
import { RecordProbe } from '../../../test/messaging-probe/src/probe.messages.js';
import { ProbeSystem } from './probe-harness.js';

/** Messages that are hard to take out of the way: every one still reaches the dead letters. */
describe('dead letters at their limits', () => {
  let system: ProbeSystem;
  let database: TestDatabase;
  let probe: ServiceProcess;

  beforeAll(async () => {
    system = await ProbeSystem.create();
    database = system.database();
    probe = await system.startReady({ database });
  });
  afterAll(() => system.dispose());

  const effectsOf = (probeId: string) =>
    database.query('SELECT message_id FROM probe_effects WHERE probe_id = $1', [probeId]);

  it('dead-letters a message that no longer fits with its dead-letter headers: the reason kept, the body left out, the others flowing', async () => {
    const maxPayload = system.wire.connection.info?.max_payload ?? 1024 * 1024;
    // As large as the server takes with the message's own headers: with the
    // dead-letter headers added, it no longer fits.
    let published: { messageId: string; size: number } | undefined;
    for (let margin = 300; !published; margin += 20) {
      const size = maxPayload - margin;
      published = await system.wire
        .publish(RecordProbe, undefined, { raw: new TextEncoder().encode('x'.repeat(size)) })
        .then(({ messageId }) => ({ messageId, size }))
        .catch(() => undefined);
    }
    const { messageId, size } = published;
    const healthy = randomUUID();
    await system.wire.publish(RecordProbe, { probeId: healthy });

    const letter = await system.deadLetterOf(messageId);
    expect(letter.headers['dead-letter-reason']).toMatch(/^body too large: /);
    expect(letter.headers['dead-letter-body-left-out']).toBe(String(size));
    expect(letter.body).toBe('');
    await eventually(async () => expect(await effectsOf(healthy)).toHaveLength(1));
    await eventually(async () => {
      const consumer = await system.wire.consumerInfo('COMMANDS', 'probe-RecordProbe');
      expect([consumer.num_pending, consumer.num_ack_pending]).toEqual([0, 0]);
    });

    const sequence = letter.seq;
    const replay = await probe.admin(`/dead-letters/${sequence}/replay`, { method: 'POST' });
    expect(replay.status).toBe(422);
    expect(await replay.text()).toMatch(/kept only its reason/);
  });

  it('keeps a message it cannot park while DEADLETTERS is gone, says so, and parks it once provisioning made the stream again', async () => {
    const manager = await jetstreamManager(system.wire.connection);
    await manager.streams.delete('DEADLETTERS');

    const { messageId } = await system.wire.publish(RecordProbe, undefined, {
      raw: new TextEncoder().encode('{"probeId": '),
    });
    await eventually(() =>
      expect(probe.logs).toMatch(
        /cannot dead-letter cmd\.probe\.RecordProbe #\d+ yet: stream DEADLETTERS is missing: run `npm run provision:nats`/,
      ),
    );
    const { code, body } = await probe.readiness();
    expect(code).toBe(200);
    expect(body.checks).toContainEqual(
      expect.objectContaining({
        name: 'stream DEADLETTERS',
        ok: false,
        detail: expect.stringContaining('run `npm run provision:nats`'),
      }),
    );

    await system.provision();
    const letter = await system.deadLetterOf(messageId);
    expect(letter.headers['dead-letter-reason']).toMatch(/^malformed body: /);
  });
});
