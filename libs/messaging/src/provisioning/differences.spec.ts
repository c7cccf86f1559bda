import type { ConsumerConfig, StreamConfig } from '@nats-io/jetstream';
import { describe, expect, it } from 'vitest';
import { catalogTopology } from '../jetstream/topology.js';
import {
  CONSUMER_FIELDS_FIXED,
  consumerDifferences,
  describeDifference,
  streamDifferences,
} from './differences.js';

const topology = catalogTopology();
const stream = topology.streams.find((candidate) => candidate.name === 'DEADLETTERS')!;
const consumer = topology.consumers.find(
  (c) => c.config.durable_name === 'payments-ProcessPayment',
)!;

/** What the server answers: the wanted settings, and defaults of its own beside them. */
const asFound = <T>(wanted: object, extra: object): T => ({ ...wanted, ...extra }) as T;

describe('provisioning differences', () => {
  it('finds none where the server added only settings of its own', () => {
    const found = asFound<StreamConfig>(stream, { max_msgs: -1, sealed: false });
    expect(streamDifferences(found, stream)).toEqual([]);
    expect(
      consumerDifferences(
        asFound<ConsumerConfig>(consumer.config, { num_replicas: 0 }),
        consumer.config,
      ),
    ).toEqual([]);
  });

  it('names each consumer setting that differs, and a changed filter is one that cannot be updated', () => {
    const found = asFound<ConsumerConfig>(consumer.config, {
      filter_subject: 'cmd.shipping.ShipOrder',
      ack_wait: 5_000_000_000,
    });
    const differences = consumerDifferences(found, consumer.config);
    expect(differences.map(describeDifference)).toEqual([
      'filter_subject is "cmd.shipping.ShipOrder", the catalog says "cmd.payments.ProcessPayment"',
      'ack_wait is 5000000000, the catalog says 30000000000',
    ]);
    expect(differences.map((difference) => CONSUMER_FIELDS_FIXED.has(difference.field))).toEqual([
      true,
      false,
    ]);
  });

  it('names a missing byte limit and a changed retention on a stream', () => {
    const found = asFound<StreamConfig>(stream, { retention: 'limits', max_bytes: -1 });
    expect(streamDifferences(found, stream).map((difference) => difference.field)).toEqual([
      'retention',
      'max_bytes',
    ]);
  });
});
