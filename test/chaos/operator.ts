import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { jetstreamManager } from '@nats-io/jetstream';
import type { AppName, Platform } from '../e2e/platform.js';
import { eventually } from '../support/eventually.js';
import { Scrape } from '../support/prometheus.js';
import { Wire } from '../support/wire.js';
import { ACK_WAIT_MS } from './fault.js';

const PROVISIONING_ENTRY = 'dist/scripts/provision-nats/main.js';

/**
 * What an operator runs once a stream or consumer is lost: the provisioning
 * entry point (`npm run provision:nats`), with the deployment's settings.
 * Resolves with what it printed.
 */
export async function provisionAsOperator(platform: Platform): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [PROVISIONING_ENTRY], {
    env: {
      ...process.env,
      NATS_URL: platform.nats.url,
      MESSAGING_ACK_WAIT_MS: String(ACK_WAIT_MS),
    },
  });
  return stdout;
}

/** Deletes a stream and every message and consumer in it, as a mistaken operator or a lost volume does. */
export async function deleteStream(platform: Platform, stream: string): Promise<void> {
  const wire = await Wire.connect(platform.nats.url);
  try {
    await (await jetstreamManager(wire.connection)).streams.delete(stream);
  } finally {
    await wire.close();
  }
}

/** Removes the messages of one subject from a stream; resolves with how many there were. */
export async function purgeSubject(
  platform: Platform,
  stream: string,
  subject: string,
): Promise<number> {
  const wire = await Wire.connect(platform.nats.url);
  try {
    const manager = await jetstreamManager(wire.connection);
    return (await manager.streams.purge(stream, { filter: subject })).purged;
  } finally {
    await wire.close();
  }
}

/**
 * Waits until the first replica of `app` reports the stream missing as an
 * operator is told first: readiness (degraded, with the provisioning hint)
 * and the jetstream_stream_available metric, both at once; and, when
 * `logged` is given, a log line matching it. (A consumer's worker logs the
 * loss when its pull learns it, which the NATS client may take two missed
 * heartbeats, about 30 s, to do: the operator does not wait for it.)
 * Resolves with the seconds it took.
 */
export async function streamReportedMissing(
  platform: Platform,
  app: AppName,
  stream: string,
  since: number,
  logged?: RegExp,
): Promise<number> {
  const replica = platform.replicas(app)[0]!;
  await eventually(
    async () => {
      const { code, body } = await replica.readiness();
      if (code !== 200 || body.status !== 'degraded') throw new Error(`readiness ${body.status}`);
      const check = body.checks.find((candidate) => candidate.name === `stream ${stream}`);
      if (check?.ok !== false || !/provision:nats/.test(check.detail ?? ''))
        throw new Error(`readiness: ${JSON.stringify(check)}`);
      const scrape = await Scrape.of(replica.adminUrl, replica.adminHeaders);
      if (scrape.value('jetstream_stream_available', { stream }) !== 0)
        throw new Error('jetstream_stream_available not 0');
      if (logged && !logged.test(replica.logs)) throw new Error(`no log line ${logged}`);
    },
    { timeoutMs: 20_000, intervalMs: 200, what: `${app} reporting stream ${stream} missing` },
  );
  return (Date.now() - since) / 1_000;
}

/** An operator discarding every dead letter (after reading them): the next fault starts clean. */
export async function discardDeadLetters(platform: Platform): Promise<void> {
  const wire = await Wire.connect(platform.nats.url);
  try {
    await (await jetstreamManager(wire.connection)).streams.purge('DEADLETTERS');
  } finally {
    await wire.close();
  }
}

/**
 * docs/operations.md's query for orders: those waiting on a command sent
 * before `$1` (the loss) that is no longer in the outbox, so went with COMMANDS.
 */
export const ORDERS_WAITING_ON_A_LOST_COMMAND = `
SELECT o.id, o.status, o.updated_at, o.deadline_at
FROM orders o
WHERE o.status IN ('PENDING', 'PAID', 'REFUNDING')
  AND o.updated_at < $1
  AND NOT EXISTS (
    SELECT 1 FROM outbox WHERE outbox.payload::jsonb ->> 'orderId' = o.id::text
  )
ORDER BY o.updated_at`;
