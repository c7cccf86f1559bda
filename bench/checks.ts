import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  OrderCancelled,
  OrderCompleted,
  OrderPlaced,
  OrderShipped,
  PaymentCompleted,
  PaymentDeclined,
  PaymentRefunded,
  ProcessPayment,
  RefundPayment,
  ShipmentFailed,
  ShipOrder,
  findBySubject,
} from '@app/contracts';
import type { TestDatabase } from '../test/support/test-database.js';
import type { PlacedOrder } from './load.js';
import type { Outcome } from './options.js';
import type { WireObserver } from './wire-observer.js';

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** The exact messages each outcome puts on the wire (docs/saga.md), and how it ends. */
export const EXPECTED: Readonly<Record<Outcome, { terminal: string; messages: string[] }>> = {
  completed: {
    terminal: OrderCompleted.name,
    messages: [
      OrderPlaced,
      ProcessPayment,
      PaymentCompleted,
      ShipOrder,
      OrderShipped,
      OrderCompleted,
    ]
      .map((m) => m.name)
      .sort(),
  },
  declined: {
    terminal: OrderCancelled.name,
    messages: [OrderPlaced, ProcessPayment, PaymentDeclined, OrderCancelled]
      .map((m) => m.name)
      .sort(),
  },
  refunded: {
    terminal: OrderCancelled.name,
    messages: [
      OrderPlaced,
      ProcessPayment,
      PaymentCompleted,
      ShipOrder,
      ShipmentFailed,
      RefundPayment,
      PaymentRefunded,
      OrderCancelled,
    ]
      .map((m) => m.name)
      .sort(),
  },
};

export interface ConsumerState {
  readonly stream: string;
  readonly name: string;
  /** The message type it receives, from its filter subject. */
  readonly messageType: string;
  readonly pending: number;
  readonly ackPending: number;
  readonly redelivered: number;
  readonly delivered: number;
}

/** Every durable consumer of the system, read from JetStream rather than known in advance. */
export async function consumerStates(connection: NatsConnection): Promise<ConsumerState[]> {
  const manager = await jetstreamManager(connection);
  const states: ConsumerState[] = [];
  for await (const stream of manager.streams.names()) {
    for await (const info of manager.consumers.list(stream)) {
      const filter = info.config.filter_subject ?? '';
      states.push({
        stream,
        name: info.name,
        messageType: findBySubject(filter)?.name ?? filter,
        pending: info.num_pending,
        ackPending: info.num_ack_pending,
        redelivered: info.num_redelivered,
        delivered: info.delivered.consumer_seq,
      });
    }
  }
  return states;
}

/** Waits until every consumer has handled and acked all it was given; false after the timeout. */
export async function drained(connection: NatsConnection, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await consumerStates(connection);
    if (states.every((state) => state.pending === 0 && state.ackPending === 0)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** What the wire shows: every order accepted, ended as its mix says, with exactly its messages. */
export function wireChecks(placed: readonly PlacedOrder[], wire: WireObserver): Check[] {
  const accepted = placed.filter((order) => order.id);
  const refused = placed.filter((order) => !order.id);
  const unfinished: string[] = [];
  const wrongEnd: string[] = [];
  const lost: string[] = [];
  const duplicated: string[] = [];
  const unexpected: string[] = [];
  for (const order of accepted) {
    const id = order.id as string;
    const trace = wire.traces.get(id);
    const expected = EXPECTED[order.outcome];
    if (!trace?.terminal) unfinished.push(id);
    else if (trace.terminal.type !== expected.terminal)
      wrongEnd.push(`${id} (${order.outcome}) ended ${trace.terminal.type}`);
    const seen = trace?.messages ?? new Map<string, Set<string>>();
    for (const type of expected.messages) {
      const ids = seen.get(type)?.size ?? 0;
      if (ids === 0) lost.push(`${id} ${type}`);
      if (ids > 1) duplicated.push(`${id} ${type} ×${ids}`);
    }
    for (const type of seen.keys())
      if (!expected.messages.includes(type)) unexpected.push(`${id} ${type}`);
  }
  return [
    check(
      'every order accepted (202)',
      refused.length === 0,
      refused,
      (o) => `${o.status} ${o.error}`,
    ),
    check('every order reached a terminal state', unfinished.length === 0, unfinished),
    check('every order ended as its mix says', wrongEnd.length === 0, wrongEnd),
    check('no lost message (each expected type seen)', lost.length === 0, lost),
    check(
      'no duplicated message (one Nats-Msg-Id per type and order)',
      duplicated.length === 0,
      duplicated,
    ),
    check('no unexpected message', unexpected.length === 0, unexpected),
    check(
      'no re-publication (a Nats-Msg-Id seen twice)',
      wire.republications.length === 0,
      wire.republications,
      (r) => `${r.messageType} ${r.messageId} of ${r.correlationId}`,
    ),
    check('no dead letter', wire.deadLetters.length === 0, wire.deadLetters),
    check(
      'every message carries a correlation-id',
      wire.uncorrelated.length === 0,
      wire.uncorrelated,
    ),
  ];
}

/** What the databases hold: one payment per order, one notification per event notifications consumed. */
export async function databaseChecks(
  /** The orders placed and what the wire showed of them: the measured ones, and the warm-up's. */
  phases: ReadonlyArray<{ readonly placed: readonly PlacedOrder[]; readonly wire: WireObserver }>,
  consumers: readonly ConsumerState[],
  databases: { payments: TestDatabase; notifications: TestDatabase },
): Promise<Check[]> {
  const ids = new Set(
    phases.flatMap(({ placed }) => placed.flatMap((order) => (order.id ? [order.id] : []))),
  );
  const payments = await databases.payments.query<{ order_id: string; n: string }>(
    'SELECT order_id, count(*) AS n FROM payments GROUP BY order_id',
  );
  const twice = payments.filter((row) => Number(row.n) > 1).map((row) => row.order_id);
  const paid = new Set(payments.map((row) => row.order_id));
  const unpaid = [...ids].filter((id) => !paid.has(id));
  const foreign = [...paid].filter((id) => !ids.has(id));

  // The events notifications consumes, as its consumers say, and their ids on the wire.
  const notified = new Set(
    consumers.filter((c) => c.name.startsWith('notifications-')).map((c) => c.messageType),
  );
  const expectedIds = new Set<string>();
  for (const { placed, wire } of phases) {
    for (const order of placed) {
      for (const [type, messageIds] of wire.traces.get(order.id ?? '')?.messages ?? []) {
        if (notified.has(type)) for (const messageId of messageIds) expectedIds.add(messageId);
      }
    }
  }
  const rows = await databases.notifications.query<{ message_id: string; n: string }>(
    'SELECT message_id, count(*) AS n FROM notifications GROUP BY message_id',
  );
  const stored = new Set(rows.map((row) => row.message_id));
  const missing = [...expectedIds].filter((id) => !stored.has(id));
  const repeated = rows.filter((row) => Number(row.n) > 1).map((row) => row.message_id);
  return [
    check(
      'exactly one payment per order',
      twice.length === 0 && unpaid.length === 0 && foreign.length === 0,
      [
        ...twice.map((id) => `${id} charged twice`),
        ...unpaid.map((id) => `${id} without payment`),
        ...foreign.map((id) => `${id} not placed by the bench`),
      ],
    ),
    check(
      'one notification per consumed event',
      missing.length === 0 && repeated.length === 0 && rows.length === expectedIds.size,
      [
        ...missing.map((id) => `${id} not notified`),
        ...repeated.map((id) => `${id} notified twice`),
      ],
      String,
      `${rows.length} rows for ${expectedIds.size} events`,
    ),
  ];
}

export function check<T>(
  name: string,
  ok: boolean,
  failures: readonly T[],
  show: (item: T) => string = String,
  summary?: string,
): Check {
  const shown = failures.slice(0, 5).map(show).join('; ');
  const more = failures.length > 5 ? ` (+${failures.length - 5} more)` : '';
  const prefix = summary ? `${summary}; ` : '';
  const detail = ok ? (summary ?? 'ok') : `${prefix}${failures.length} failing: ${shown}${more}`;
  return { name, ok, detail };
}
