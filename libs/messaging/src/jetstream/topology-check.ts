import { streams } from '@app/contracts';
import { JetStreamApiError, type ConsumerInfo, type JetStreamManager } from '@nats-io/jetstream';
import { deadLetterConsumer, streamsPublishedBy, type Subscription } from './topology.js';

/** What provisioning must be run for: one line an operator can act on. */
export const PROVISION_HINT = 'run `npm run provision:nats`';

/** A stream or consumer an app needs that is not there, or not as the catalog says. */
export interface TopologyProblem {
  readonly kind: 'stream' | 'consumer';
  /** `EVENTS`, or `COMMANDS/payments-ProcessPayment`. */
  readonly name: string;
  readonly problem: string;
}

/** The streams and consumers an app needs are missing at start: nothing else would make it work. */
export class NatsTopologyMissing extends Error {}

/** What an app finds on the server: its consumers' settings, and what is missing or wrong. */
export interface TopologyFound {
  readonly consumers: ReadonlyMap<string, ConsumerInfo>;
  readonly problems: readonly TopologyProblem[];
}

/**
 * Looks for every stream and consumer this app needs (its consumers, the one
 * of its dead letters, the streams it publishes to), with only the rights of
 * its own NATS user: stream information for those streams, consumer
 * information for its consumers. Creates nothing: provisioning does.
 */
export async function inspectTopology(
  manager: JetStreamManager,
  app: string,
  subscriptions: readonly Subscription[],
): Promise<TopologyFound> {
  const wanted = [
    ...subscriptions.map((subscription) => ({
      stream: subscription.stream,
      consumer: subscription.consumer,
      filter: subscription.message.subject,
    })),
    (({ stream, config }) => ({
      stream,
      consumer: config.durable_name,
      filter: config.filter_subject,
    }))(deadLetterConsumer(app)),
  ];
  const consumers = new Map<string, ConsumerInfo>();
  const problems: TopologyProblem[] = [];
  const missingStreams = new Set<string>();
  const found = await Promise.all(
    wanted.map(async (want) => ({
      want,
      info: await manager.consumers.info(want.stream, want.consumer).catch(asMissing),
    })),
  );
  for (const { want, info } of found) {
    if (info === 'stream') missingStreams.add(want.stream);
    else if (info === 'consumer') {
      problems.push({
        kind: 'consumer',
        name: `${want.stream}/${want.consumer}`,
        problem: 'missing',
      });
    } else if ((info.config.filter_subject ?? '') !== want.filter) {
      problems.push({
        kind: 'consumer',
        name: `${want.stream}/${want.consumer}`,
        problem: `filters "${info.config.filter_subject ?? ''}", not "${want.filter}"`,
      });
    } else {
      consumers.set(want.consumer, info);
    }
  }
  const published = streamsPublishedBy(app).filter(
    (stream) => !wanted.some((want) => want.stream === stream),
  );
  for (const stream of published) {
    const info = await manager.streams.info(stream).catch(asMissing);
    if (info === 'stream') missingStreams.add(stream);
  }
  const streamProblems = streams
    .filter((stream) => missingStreams.has(stream.name))
    .map(({ name }): TopologyProblem => ({ kind: 'stream', name, problem: 'missing' }));
  return { consumers, problems: [...streamProblems, ...problems] };
}

/** `stream EVENTS missing, consumer COMMANDS/payments-ProcessPayment missing` */
export function describeProblems(problems: readonly TopologyProblem[]): string {
  return problems.map(({ kind, name, problem }) => `${kind} ${name} ${problem}`).join(', ');
}

/** JetStream's codes for a stream, and a consumer, that does not exist. */
const STREAM_NOT_FOUND = 10059;

function asMissing(error: unknown): 'stream' | 'consumer' {
  if (error instanceof JetStreamApiError && error.status === 404) {
    return error.code === STREAM_NOT_FOUND ? 'stream' : 'consumer';
  }
  throw error;
}
