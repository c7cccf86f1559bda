import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { Scrape } from '../../../test/support/prometheus.js';
import type { ServiceProcess } from '../../../test/support/service-process.js';
import { RecordProbe } from '../../../test/messaging-probe/src/probe.messages.js';
import { ProbeSystem } from './probe-harness.js';

const labels = { consumer: 'probe-RecordProbe', message_type: 'RecordProbe' };

describe('metrics', () => {
  let system: ProbeSystem;
  let probe: ServiceProcess;

  beforeAll(async () => {
    system = await ProbeSystem.create();
    probe = await system.startReady({ database: system.database() });
  });
  afterAll(() => system.dispose());

  it('exposes the messaging, outbox, consumer, HTTP and runtime families', async () => {
    await fetch(`${probe.baseUrl}/probes/${randomUUID()}`, { method: 'POST' });
    const scrape = await Scrape.of(probe.adminUrl, probe.adminHeaders);

    for (const family of [
      'messaging_messages_handled_total',
      'messaging_messages_failed_total',
      'messaging_messages_retried_total',
      'messaging_messages_dead_lettered_total',
      'messaging_handler_duration_seconds',
      'outbox_backlog_messages',
      'outbox_oldest_message_age_seconds',
      'jetstream_consumer_pending_messages',
      'jetstream_consumer_ack_pending_messages',
      'http_request_duration_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(scrape.hasFamily(family), family).toBe(true);
    }
    expect(
      scrape.value('jetstream_consumer_pending_messages', { consumer: 'probe-RecordProbe' }),
    ).toBe(0);
    expect(
      scrape.value('http_request_duration_seconds_count', {
        route: '/probes/:id',
        status_code: '202',
      }),
    ).toBe(1);
  });

  it('counts each outcome: handled, failed and retried, dead-lettered for exhaustion and for a bad body', async () => {
    const before = await Scrape.of(probe.adminUrl, probe.adminHeaders);
    const delta = (scrape: Scrape, name: string, extra: Record<string, string> = {}) =>
      scrape.value(name, { ...labels, ...extra }) - before.value(name, { ...labels, ...extra });

    await system.wire.publish(RecordProbe, { probeId: randomUUID(), failTimes: 2 });
    await system.wire.publish(RecordProbe, { probeId: randomUUID(), alwaysFail: true });
    await system.wire.publish(RecordProbe, undefined, { raw: new TextEncoder().encode('nope') });

    await eventually(async () => {
      const after = await Scrape.of(probe.adminUrl, probe.adminHeaders);
      expect({
        handled: delta(after, 'messaging_messages_handled_total'),
        failed: delta(after, 'messaging_messages_failed_total'),
        retried: delta(after, 'messaging_messages_retried_total'),
        exhausted: delta(after, 'messaging_messages_dead_lettered_total', { cause: 'exhausted' }),
        rejected: delta(after, 'messaging_messages_dead_lettered_total', { cause: 'rejected' }),
        timed: delta(after, 'messaging_handler_duration_seconds_count'),
      }).toEqual({ handled: 1, failed: 7, retried: 6, exhausted: 1, rejected: 1, timed: 1 });
    });
  });
});
