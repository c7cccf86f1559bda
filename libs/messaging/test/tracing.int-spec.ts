import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { OtlpCollector, type CollectedSpan } from '../../../test/support/otlp-collector.js';
import { ProbeSystem } from './probe-harness.js';

const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;

describe('tracing', () => {
  let system: ProbeSystem;
  let collector: OtlpCollector;

  beforeAll(async () => {
    system = await ProbeSystem.create();
    collector = await OtlpCollector.start();
  });
  afterAll(async () => {
    await system.dispose();
    await collector.stop();
  });

  it('continues an incoming trace through the outbox, NATS and the handlers of every subscribing app, as one tree', async () => {
    const probe = await system.startReady({
      database: system.database('probe'),
      env: collector.env(),
    });
    await system.startReady({
      app: 'probe-listener',
      database: system.database('probe-listener'),
      env: { ...collector.env(), OTEL_SERVICE_NAME: 'probe-listener' },
    });
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');

    const response = await fetch(`${probe.baseUrl}/probes/${randomUUID()}`, {
      method: 'POST',
      headers: { traceparent: `00-${traceId}-${callerSpanId}-01` },
    });
    expect(response.status).toBe(202);

    const spans = await eventually(() => {
      const found = collector.trace(traceId);
      expect(found.filter((span) => span.kind === CONSUMER)).toHaveLength(2);
      return found;
    });
    const server = only(spans, (span) => span.kind === SERVER);
    expect(server).toMatchObject({
      name: 'POST /probes/:id',
      parentSpanId: callerSpanId,
      service: 'probe',
    });
    const publish = only(spans, (span) => span.kind === PRODUCER);
    expect(publish.name).toBe('publish evt.probe.ProbeHappened');
    expect(publish.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.operation.type': 'publish',
    });
    const processes = spans.filter((span) => span.kind === CONSUMER);
    expect(processes.map((span) => span.service).sort()).toEqual(['probe', 'probe-listener']);
    for (const process of processes) {
      expect(process.parentSpanId).toBe(publish.spanId);
      expect(process.attributes).toMatchObject({
        'messaging.system': 'nats',
        'messaging.destination.name': 'evt.probe.ProbeHappened',
        'messaging.operation.type': 'process',
      });
    }
    // One tree: every span but the server's hangs from another span of this trace.
    const ids = new Set(spans.map((span) => span.spanId));
    for (const span of spans.filter((candidate) => candidate !== server)) {
      expect(ids.has(span.parentSpanId ?? '')).toBe(true);
    }
  });
});

function only(spans: CollectedSpan[], predicate: (span: CollectedSpan) => boolean): CollectedSpan {
  const found = spans.filter(predicate);
  expect(found).toHaveLength(1);
  return found[0] as CollectedSpan;
}
