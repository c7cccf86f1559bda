import { connect, createServer, type AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { Scrape } from '../../../test/support/prometheus.js';
import { PrivateNatsServer } from '../../../test/support/nats-server.js';
import { ServiceProcess, terminateAllServices } from '../../../test/support/service-process.js';
import { freePort } from '../../../test/support/ports.js';
import { RecordProbe } from '../../../test/messaging-probe/src/probe.messages.js';
import { ProbeSystem } from './probe-harness.js';

describe('start and stop', () => {
  let system: ProbeSystem;

  beforeAll(async () => {
    system = await ProbeSystem.create();
  });
  afterEach(async () => {
    await terminateAllServices();
    // A test that failed while NATS was down must not leave it down for the next.
    await system.heal();
  });
  afterAll(() => system.dispose());

  it('loses nothing and handles nothing twice when a replica gets SIGTERM under load', async () => {
    const database = system.database();
    const env = { PROBE_HANDLER_DELAY_MS: '20', MESSAGING_CONCURRENCY: '8' };
    const leaving = await system.startReady({ database, replica: 'leaving', env });
    await system.startReady({ database, replica: 'staying', env });

    const commands = 400;
    await Promise.all(
      Array.from({ length: commands }, () =>
        system.wire.publish(RecordProbe, { probeId: randomUUID() }),
      ),
    );
    await eventually(async () => {
      const rows = await database.query<{ handled: number }>(
        `SELECT count(*)::int AS handled FROM probe_effects WHERE replica = 'leaving'`,
      );
      expect(rows[0]?.handled).toBeGreaterThan(20);
    });
    expect(await leaving.terminate()).toBe(0);
    expect(leaving.logs).toContain('stopped');

    await eventually(
      async () => {
        expect(
          await database.query(
            'SELECT count(*)::int AS rows, count(DISTINCT message_id)::int AS messages FROM probe_effects',
          ),
        ).toEqual([{ rows: commands, messages: commands }]);
      },
      { timeoutMs: 60_000 },
    );
    // Every message met a handler once: what the leaving replica had in hand, it finished.
    expect(
      await database.query(
        'SELECT message_id FROM probe_attempts GROUP BY message_id HAVING count(*) > 1',
      ),
    ).toEqual([]);
    expect(await database.query('SELECT count(*)::int AS n FROM probe_attempts')).toEqual([
      { n: commands },
    ]);
  });

  it('says in one line what to start when NATS cannot be reached', async () => {
    const probe = await system.start({
      database: system.database(),
      env: { NATS_URL: `nats://127.0.0.1:${await freePort()}` },
    });

    expect(await probe.exited).toBe(1);
    expect(probe.logs).toMatch(
      /cannot reach NATS at nats:\/\/127\.0\.0\.1:\d+: start NATS with JetStream \(nats-server -js\)/,
    );
    expect(probe.logs).not.toMatch(/^\s+at /m);
  });

  it('never shows the password inside NATS_URL, even in the line that says NATS cannot be reached', async () => {
    const port = await freePort();
    const probe = await system.start({
      database: system.database(),
      env: { NATS_URL: `nats://probe:s3cret-password@127.0.0.1:${port}` },
    });

    expect(await probe.exited).toBe(1);
    expect(probe.logs).toMatch(
      new RegExp(`cannot reach NATS at nats://probe:\\*\\*\\*@127\\.0\\.0\\.1:${port}`),
    );
    expect(probe.logs).not.toMatch(/s3cret-password/);
  });

  it('says in one line what to start when PostgreSQL cannot be reached', async () => {
    const probe = await system.start({
      database: system.database(),
      env: { DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/probe_test_0` },
    });

    expect(await probe.exited).toBe(1);
    expect(probe.logs).toMatch(
      /cannot reach PostgreSQL at 127\.0\.0\.1:\d+ .*: start it or set DATABASE_URL/,
    );
    expect(probe.logs).not.toMatch(/^\s+at /m);
  });

  it('says in one line that its HTTP port is taken, before it starts anything', async () => {
    const taken = createServer();
    await new Promise<void>((listening) => taken.listen(0, listening));
    const { port } = taken.address() as AddressInfo;
    try {
      const probe = await system.start({
        database: system.database(),
        port,
      });

      expect(await probe.exited).toBe(1);
      expect(probe.logs).toMatch(
        new RegExp(`port ${port} is already in use: stop what listens there or set PORT`),
      );
      expect(probe.logs).not.toMatch(/^\s+at /m);
      expect(probe.logs).not.toMatch(/migration|listening on port/i);
    } finally {
      taken.close();
    }
  });

  it('stops within its HTTP drain bound on SIGTERM while a client stalls in the middle of a request body', async () => {
    const probe = await system.startReady({
      database: system.database(),
      env: { HTTP_DRAIN_MS: '1000' },
    });
    const stalled = connect(probe.port, '127.0.0.1');
    await new Promise<void>((connected) => stalled.once('connect', connected));
    stalled.on('error', () => undefined);
    // Half a body, and then nothing: the request stays in progress.
    stalled.write(
      `POST /probes/${randomUUID()} HTTP/1.1\r\nHost: probe\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"x":`,
    );
    try {
      const started = Date.now();
      expect(await probe.terminate()).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(probe.logs).toMatch(/HTTP requests still in progress after 1000 ms: closing them/);
    } finally {
      stalled.destroy();
    }
  });

  it('refuses a bad setting with one readable line', async () => {
    const probe = await system.start({
      database: system.database(),
      env: { MESSAGING_MAX_ATTEMPTS: 'many' },
    });

    expect(await probe.exited).toBe(1);
    expect(probe.logs).toMatch(/invalid configuration: MESSAGING_MAX_ATTEMPTS: /);
    expect(probe.logs).not.toMatch(/^\s+at /m);
  });

  it('stays ready while NATS is down, reporting NATS, its streams and consumers down in the body and the metrics', async () => {
    const probe = await system.startReady({ database: system.database() });
    expect((await Scrape.of(probe.adminUrl)).value('nats_connected')).toBe(1);
    await system.wire.close();
    await system.nats.stop();

    await eventually(async () => {
      const { code, body } = await probe.readiness();
      expect(code).toBe(200);
      expect(body.status).toBe('degraded');
      expect(body.checks).toContainEqual(expect.objectContaining({ name: 'database', ok: true }));
      expect(body.checks).toContainEqual(expect.objectContaining({ name: 'nats', ok: false }));
      expect(body.checks).toContainEqual(
        expect.objectContaining({ name: 'consumer COMMANDS/probe-RecordProbe', ok: false }),
      );
    });
    const outage = await Scrape.of(probe.adminUrl);
    expect(outage.value('nats_connected')).toBe(0);
    expect(outage.value('jetstream_stream_available', { stream: 'COMMANDS' })).toBe(0);
    expect(outage.value('jetstream_consumer_available', { consumer: 'probe-RecordProbe' })).toBe(0);
    expect(outage.value('database_available')).toBe(1);
    expect((await fetch(`${probe.baseUrl}/health/live`)).status).toBe(200);

    await system.nats.resume();
    await system.reconnectWire();
    await probe.connected();
    const back = await Scrape.of(probe.adminUrl);
    expect(back.value('nats_connected')).toBe(1);
    expect(back.value('jetstream_stream_available', { stream: 'COMMANDS' })).toBe(1);
    expect(back.value('jetstream_consumer_available', { consumer: 'probe-RecordProbe' })).toBe(1);
  });

  it('reports its consumer gone (one log line, readiness, metric) and takes messages again once provisioning made it again', async () => {
    const database = system.database();
    const probe = await system.startReady({ database });
    await system.wire.deleteConsumer('COMMANDS', 'probe-RecordProbe');

    // Reported, not a reason to stop serving HTTP: the outbox holds the work.
    await eventually(async () => {
      const { code, body } = await probe.readiness();
      expect(code).toBe(200);
      expect(body.status).toBe('degraded');
      expect(body.checks).toContainEqual(
        expect.objectContaining({
          name: 'consumer COMMANDS/probe-RecordProbe',
          ok: false,
          detail: expect.stringContaining('run `npm run provision:nats`'),
        }),
      );
    });
    // The consumer's worker finds out at its next pull.
    await eventually(async () => {
      const metrics = await Scrape.of(probe.adminUrl);
      expect(metrics.value('jetstream_consumer_available', { consumer: 'probe-RecordProbe' })).toBe(
        0,
      );
      expect(probe.logs.match(/consumer COMMANDS\/probe-RecordProbe is gone/g)).toHaveLength(1);
    });
    expect(probe.logs).toContain('run `npm run provision:nats`');

    await system.provision();
    const probeId = randomUUID();
    await system.wire.publish(RecordProbe, { probeId });
    await eventually(async () =>
      expect(
        await database.query('SELECT 1 FROM probe_effects WHERE probe_id = $1', [probeId]),
      ).toHaveLength(1),
    );
    await probe.ready();
    // Log lines are written in batches, up to 200 ms late.
    await eventually(async () =>
      expect(probe.logs).toContain('consumer COMMANDS/probe-RecordProbe is back'),
    );
  });

  it('exits at start with one line naming what is missing and what to run, when NATS was not provisioned', async () => {
    const bare = await PrivateNatsServer.start();
    try {
      const probe = await ServiceProcess.start({
        entry: 'dist/test/messaging-probe/main.js',
        env: { NATS_URL: bare.url, DATABASE_URL: system.database().url },
      });
      expect(await probe.exited).toBe(1);
      const lines = probe.logs.split('\n').filter((line) => /not provisioned/.test(line));
      expect(lines).toHaveLength(1);
      expect(lines[0], probe.logs).toMatch(
        /NATS is not provisioned for probe: stream COMMANDS missing, stream EVENTS missing, stream DEADLETTERS missing; run `npm run provision:nats`/,
      );
      expect(probe.logs).not.toMatch(/^\s+at /m);
    } finally {
      await bare.dispose();
    }
  });

  it('starts several replicas at once on an empty database, migrating it once', async () => {
    const database = system.database();

    const replicas = await Promise.all(
      ['a', 'b', 'c'].map((replica) => system.startReady({ database, replica })),
    );

    expect(replicas.every((replica) => replica.isRunning)).toBe(true);
    expect(await database.query('SELECT name FROM migrations ORDER BY name')).toEqual([
      { name: 'MessagingTables1764201600000' },
      { name: 'ProbeTables1764201700000' },
    ]);
  });
});
