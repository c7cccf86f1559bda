import type { ConsumerConfig, StreamConfig } from '@nats-io/jetstream';
import type { WantedConsumer, WantedStream } from '../jetstream/topology.js';

/** One setting found on the server that is not what the catalog says. */
export interface Difference {
  readonly field: string;
  readonly found: unknown;
  readonly wanted: unknown;
}

/** Stream settings provisioning keeps; the server fills in the rest. */
const STREAM_FIELDS = [
  'subjects',
  'retention',
  'storage',
  'max_age',
  'max_bytes',
  'discard',
  'duplicate_window',
  'num_replicas',
] as const satisfies ReadonlyArray<keyof StreamConfig>;

/** JetStream cannot change these on a stream: it must be made again. */
export const STREAM_FIELDS_FIXED: ReadonlySet<string> = new Set(['retention', 'storage']);

const CONSUMER_FIELDS = [
  'filter_subject',
  'ack_policy',
  'deliver_policy',
  'ack_wait',
  'max_deliver',
  'max_ack_pending',
] as const satisfies ReadonlyArray<keyof ConsumerConfig>;

/**
 * What a consumer cannot be updated to keep: a consumer that filtered (or
 * acknowledged, or started) differently has a position that means nothing
 * for the catalog's one, so it is deleted and created again.
 */
export const CONSUMER_FIELDS_FIXED: ReadonlySet<string> = new Set([
  'filter_subject',
  'ack_policy',
  'deliver_policy',
]);

export function streamDifferences(found: StreamConfig, wanted: WantedStream): Difference[] {
  return differences(found, wanted, STREAM_FIELDS);
}

export function consumerDifferences(found: ConsumerConfig, wanted: WantedConsumer): Difference[] {
  return differences(found, wanted, CONSUMER_FIELDS);
}

function differences<T extends object>(
  found: T,
  wanted: Partial<T>,
  fields: ReadonlyArray<keyof T & string>,
): Difference[] {
  return fields.flatMap((field) => {
    if (!(field in wanted)) return [];
    const want = wanted[field];
    const have = found[field];
    return same(have, want) ? [] : [{ field, found: have ?? null, wanted: want }];
  });
}

function same(found: unknown, wanted: unknown): boolean {
  if (Array.isArray(found) && Array.isArray(wanted)) {
    return found.length === wanted.length && found.every((value, i) => value === wanted[i]);
  }
  // The server leaves out a filter subject it does not have, and spells no age limit as 0.
  return (found ?? '') === (wanted ?? '') || (found ?? 0) === (wanted ?? 0);
}

/** `ack_wait is 10000000000, the catalog says 30000000000` */
export function describeDifference(difference: Difference): string {
  return `${difference.field} is ${JSON.stringify(difference.found)}, the catalog says ${JSON.stringify(difference.wanted)}`;
}
