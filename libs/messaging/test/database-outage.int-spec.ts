import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, sleep } from '../../../test/support/eventually.js';
import { PrivatePostgres } from '../../../test/support/private-postgres.js';
import type { ServiceProcess } from '../../../test/support/service-process.js';
import { TestDatabase } from '../../../test/support/test-database.js';
import { RecordProbe } from '../../../test/messaging-probe/src/probe.messages.js';
import { ProbeSystem } from './probe-harness.js';

/** The probe on a PostgreSQL server of this file's own, stopped for longer than every retry. */
describe('a database outage', () => {
  let postgres: PrivatePostgres;
  let system: ProbeSystem;
  let database: TestDatabase;
  let probe: ServiceProcess;

  beforeAll(async () => {
    postgres = await PrivatePostgres.start();
    system = await ProbeSystem.create();
    database = TestDatabase.reserve('probe', postgres.adminUrl);
    probe = await system.startReady({ database });
  });

  afterAll(async () => {
    await system?.dispose();
    await postgres?.dispose();
  });

  const effects = async (probeIds: readonly string[]) =>
    database.query<{ probe_id: string }>(
      'SELECT probe_id FROM probe_effects WHERE probe_id = ANY($1::uuid[])',
      [probeIds],
    );

  it('takes the app out of service while it lasts, and spends no attempt of the messages that arrive: each is handled once after it, none parked', async () => {
    const before = Array.from({ length: 10 }, () => randomUUID());
    for (const probeId of before) await system.wire.publish(RecordProbe, { probeId });
    await eventually(async () => expect(await effects(before)).toHaveLength(10));

    await postgres.stop();
    const during = Array.from({ length: 20 }, () => randomUUID());
    try {
      for (const probeId of during) await system.wire.publish(RecordProbe, { probeId });
      // Out of service: the one dependency its HTTP API cannot do without.
      await eventually(async () => {
        const { code, body } = await probe.readiness();
        expect(code).toBe(503);
        expect(body.checks).toContainEqual(
          expect.objectContaining({ name: 'database', ok: false, required: true }),
        );
        expect(body.checks).toContainEqual(expect.objectContaining({ name: 'nats', ok: true }));
      });
      expect((await fetch(`${probe.baseUrl}/health/live`)).status).toBe(200);
      // Far longer than the five attempts' back-off (50 to 400 ms each) would take.
      await sleep(6_000);
    } finally {
      await postgres.resume();
    }

    await eventually(async () => expect(await effects(during)).toHaveLength(20), {
      timeoutMs: 30_000,
    });
    const handled = (await effects(during)).map((row) => row.probe_id).sort();
    expect(handled).toEqual([...during].sort());
    expect(await system.wire.streamMessageCount('DEADLETTERS')).toBe(0);
    // Log lines reach stdout in chunks, a moment after the work they tell of.
    await eventually(async () => {
      expect(probe.logs).toMatch(/the database cannot be reached .*: holding the messages in hand/);
      expect(probe.logs).toMatch(/the database answers again: taking messages/);
    });
  });
});
