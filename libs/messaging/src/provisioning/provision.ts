import {
  JetStreamApiError,
  type ConsumerInfo,
  type JetStreamManager,
  type StreamInfo,
} from '@nats-io/jetstream';
import type { ConsumerDefinition, Topology, WantedStream } from '../jetstream/topology.js';
import {
  CONSUMER_FIELDS_FIXED,
  consumerDifferences,
  describeDifference,
  STREAM_FIELDS_FIXED,
  streamDifferences,
} from './differences.js';

/** What provisioning did, one line each: the same lines it logs. */
export interface ProvisioningReport {
  readonly lines: readonly string[];
  /** Streams and consumers it created, updated or made again. */
  readonly changed: number;
}

/** A stream provisioning cannot bring to the catalog's settings without losing messages. */
export class ProvisioningRefused extends Error {}

/**
 * Creates the streams and consumers of the topology, and brings existing
 * ones back to it: each setting that differs is reported in one line, then
 * updated where JetStream allows it, or the consumer is deleted and created
 * again where it does not. Running it again changes nothing. Consumers the
 * topology does not name are reported and left alone: an older release may
 * still read them.
 */
export async function provision(
  manager: JetStreamManager,
  topology: Topology,
  log: (line: string) => void = () => undefined,
): Promise<ProvisioningReport> {
  const lines: string[] = [];
  let changed = 0;
  const report = (line: string, change = true) => {
    lines.push(line);
    log(line);
    if (change) changed += 1;
  };
  for (const stream of topology.streams) await provisionStream(manager, stream, report);
  for (const consumer of topology.consumers) await provisionConsumer(manager, consumer, report);
  for (const stream of topology.streams) {
    const known = new Set(
      topology.consumers.filter((c) => c.stream === stream.name).map((c) => c.config.durable_name),
    );
    for await (const info of manager.consumers.list(stream.name)) {
      if (!known.has(info.name)) {
        report(`consumer ${stream.name}/${info.name} is not in the catalog: left as it is`, false);
      }
    }
  }
  return { lines, changed };
}

type Report = (line: string, change?: boolean) => void;

async function provisionStream(
  manager: JetStreamManager,
  wanted: WantedStream,
  report: Report,
): Promise<void> {
  const found = await manager.streams.info(wanted.name).catch(notFoundAsNull);
  if (!found) {
    await createStream(manager, wanted);
    report(`stream ${wanted.name} created`);
    return;
  }
  const differences = streamDifferences(found.config, wanted);
  if (differences.length === 0) return;
  const fixed = differences.filter((difference) => STREAM_FIELDS_FIXED.has(difference.field));
  if (fixed.length > 0) {
    await recreateEmptyStream(manager, found, wanted, fixed.map(describeDifference), report);
    return;
  }
  for (const difference of differences) {
    report(`stream ${wanted.name} ${describeDifference(difference)}: updated`);
  }
  await manager.streams.update(wanted.name, { ...found.config, ...wanted });
}

/**
 * Retention and storage are fixed for a stream's life: an empty stream is
 * made again, one holding messages is left to an operator, who decides what
 * becomes of them.
 */
async function recreateEmptyStream(
  manager: JetStreamManager,
  found: StreamInfo,
  wanted: WantedStream,
  differences: string[],
  report: Report,
): Promise<void> {
  if (found.state.messages > 0) {
    throw new ProvisioningRefused(
      `stream ${wanted.name} ${differences.join(', ')} and holds ${found.state.messages} messages: ` +
        `empty it (or move them) and delete it, then provision again (docs/deployment.md, Provisioning)`,
    );
  }
  for (const difference of differences) {
    report(`stream ${wanted.name} ${difference}: empty, deleted and created again`);
  }
  await manager.streams.delete(wanted.name);
  await createStream(manager, wanted);
}

async function createStream(manager: JetStreamManager, wanted: WantedStream): Promise<void> {
  await manager.streams.add(wanted).catch(async (error: unknown) => {
    // Another provisioning run created it in the meantime.
    if (!(await manager.streams.info(wanted.name).catch(notFoundAsNull))) throw error;
  });
}

async function provisionConsumer(
  manager: JetStreamManager,
  { stream, config }: ConsumerDefinition,
  report: Report,
): Promise<void> {
  const name = `${stream}/${config.durable_name}`;
  const found: ConsumerInfo | null = await manager.consumers
    .info(stream, config.durable_name)
    .catch(notFoundAsNull);
  if (!found) {
    await createConsumer(manager, stream, config);
    report(`consumer ${name} created`);
    return;
  }
  const differences = consumerDifferences(found.config, config);
  if (differences.length === 0) return;
  const recreate = differences.some((difference) => CONSUMER_FIELDS_FIXED.has(difference.field));
  for (const difference of differences) {
    report(
      `consumer ${name} ${describeDifference(difference)}: ${recreate ? 'deleted and created again' : 'updated'}`,
    );
  }
  if (recreate) {
    await manager.consumers.delete(stream, config.durable_name).catch(notFoundAsNull);
    await createConsumer(manager, stream, config);
    return;
  }
  const {
    durable_name: _name,
    filter_subject: _filter,
    deliver_policy: _policy,
    ...changeable
  } = config;
  await manager.consumers.update(stream, config.durable_name, changeable);
}

async function createConsumer(
  manager: JetStreamManager,
  stream: string,
  config: ConsumerDefinition['config'],
): Promise<void> {
  await manager.consumers.add(stream, config).catch(async (error: unknown) => {
    if (!(await manager.consumers.info(stream, config.durable_name).catch(notFoundAsNull))) {
      throw error;
    }
  });
}

export function notFoundAsNull(error: unknown): null {
  if (error instanceof JetStreamApiError && error.status === 404) return null;
  throw error;
}
