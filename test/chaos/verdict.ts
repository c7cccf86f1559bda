import { DeadLetterHeader } from '@app/contracts';
import { APPS, type NatsDeployment, type Platform } from '../e2e/platform.js';
import { Wire } from '../support/wire.js';
import type { AcceptedOrder, Outcome } from './steady-load.js';

const TERMINAL = new Set(['COMPLETED', 'CANCELLED']);

interface Ending {
  readonly status: string;
  readonly payments: number;
  readonly refunds: number;
  readonly notices: string[];
  /** The shipment's status, where one must be there. */
  readonly shipment?: string;
}

/** What each outcome leaves behind when every message had its effect exactly once. */
const EXPECTED: Record<Outcome, Ending> = {
  completed: {
    status: 'COMPLETED',
    payments: 1,
    refunds: 0,
    notices: ['OrderCompleted', 'OrderPlaced', 'OrderShipped'],
  },
  declined: {
    status: 'CANCELLED',
    payments: 1,
    refunds: 0,
    notices: ['OrderCancelled', 'OrderPlaced', 'PaymentDeclined'],
  },
  refunded: {
    status: 'CANCELLED',
    payments: 1,
    refunds: 1,
    notices: ['OrderCancelled', 'OrderPlaced'],
  },
};

/**
 * A paid order whose parcel went out after the shipping deadline: refunded,
 * cancelled, its shipment recalled, the customer told it went out and then
 * the correction (docs/saga.md).
 */
const RECALLED: Ending = {
  status: 'CANCELLED',
  payments: 1,
  refunds: 1,
  notices: ['OrderCancelled', 'OrderPlaced', 'OrderShipped', 'ShipmentRecalled'],
  shipment: 'RECALLED',
};
const SHIPPING_TIMEOUT = 'shipping timeout';

export interface Verdict {
  readonly orders: number;
  readonly terminal: number;
  /** A second payment, refund or notification of one event for one order. */
  readonly duplicates: number;
  /** Orders not terminal, or missing a payment, refund or notification they should have. */
  readonly lost: number;
  /** Dead letters, but those the fault put there on purpose. */
  readonly deadLetters: number;
  /** Orders that ended otherwise than the business rules say (wrong status). */
  readonly wrong: number;
  /** Orders whose late shipment was recalled (counted as ended as the rules say). */
  readonly recalled: number;
  /** Orders refunded whose shipment is still out: a customer keeping goods and money. */
  readonly goodsAndMoney: number;
  /** How each lost order ended: `CANCELLED (payment timeout)`, or the state it is stuck in. */
  readonly lostEndings: string[];
  readonly lostIds: string[];
  readonly problems: string[];
}

export interface JudgeOptions {
  /** Count the dead letters (slower: read from the stream). */
  readonly deadLetters?: boolean;
  /** Dead letters the fault made on purpose, by the original message's id: not counted. */
  readonly expectedLetters?: ReadonlySet<string>;
  /** A parcel may go out after the shipping deadline: a recalled order ended as the rules say. */
  readonly lateShipments?: boolean;
}

async function countsBy(
  platform: Platform<NatsDeployment>,
  app: 'payments' | 'notifications',
  sql: string,
  ids: string[],
): Promise<Map<string, number>> {
  const rows = await platform.databases[app].query<{ order_id: string; n: number }>(sql, [ids]);
  return new Map(rows.map((row) => [row.order_id, row.n]));
}

/** Reads the four databases and the dead letters: did every accepted order end exactly once? */
export async function judge(
  platform: Platform<NatsDeployment>,
  accepted: AcceptedOrder[],
  options: JudgeOptions = { deadLetters: true },
): Promise<Verdict> {
  const ids = accepted.map((order) => order.id);
  const orders = new Map(
    (
      await platform.databases.orders.query<{
        id: string;
        status: string;
        cancel_reason: string | null;
      }>('SELECT id, status, cancel_reason FROM orders WHERE id = ANY($1)', [ids])
    ).map((row) => [row.id, row]),
  );
  const payments = await countsBy(
    platform,
    'payments',
    'SELECT order_id, count(*)::int AS n FROM payments WHERE order_id = ANY($1) GROUP BY order_id',
    ids,
  );
  const refunds = await countsBy(
    platform,
    'payments',
    'SELECT order_id, count(*)::int AS n FROM refunds WHERE order_id = ANY($1) GROUP BY order_id',
    ids,
  );
  const shipments = new Map(
    (
      await platform.databases.shipping.query<{ order_id: string; status: string }>(
        'SELECT order_id, status FROM shipments WHERE order_id = ANY($1)',
        [ids],
      )
    ).map((row) => [row.order_id, row.status]),
  );
  const notices = new Map<string, string[]>();
  for (const row of await platform.databases.notifications.query<{
    order_id: string;
    event_type: string;
  }>('SELECT order_id, event_type FROM notifications WHERE order_id = ANY($1)', [ids])) {
    notices.set(row.order_id, [...(notices.get(row.order_id) ?? []), row.event_type]);
  }

  let terminal = 0;
  let duplicates = 0;
  let lost = 0;
  let wrong = 0;
  let recalled = 0;
  let goodsAndMoney = 0;
  const lostEndings: string[] = [];
  const lostIds: string[] = [];
  const problems: string[] = [];
  for (const order of accepted) {
    const found = orders.get(order.id);
    const status = found?.status;
    const ended = status !== undefined && TERMINAL.has(status);
    const paid = payments.get(order.id) ?? 0;
    const refunded = refunds.get(order.id) ?? 0;
    const shipment = shipments.get(order.id);
    const sent = (notices.get(order.id) ?? []).sort();
    const distinct = [...new Set(sent)];
    const late =
      options.lateShipments === true &&
      order.outcome === 'completed' &&
      found?.cancel_reason === SHIPPING_TIMEOUT;
    const expected = late ? RECALLED : EXPECTED[order.outcome];
    if (ended) terminal += 1;
    if (late) recalled += 1;
    if (refunded > 0 && shipment === 'SHIPPED') goodsAndMoney += 1;
    const extra =
      Math.max(0, paid - 1) + Math.max(0, refunded - 1) + (sent.length - distinct.length);
    const missing =
      !ended ||
      paid < expected.payments ||
      refunded < expected.refunds ||
      (expected.shipment !== undefined && shipment !== expected.shipment) ||
      expected.notices.some((notice) => !distinct.includes(notice));
    const wrongly = ended && status !== expected.status;
    if (extra > 0) duplicates += 1;
    if (missing) {
      lost += 1;
      lostIds.push(order.id);
      lostEndings.push(
        found?.cancel_reason ? `${status} (${found.cancel_reason})` : (status ?? 'missing'),
      );
    }
    if (wrongly) wrong += 1;
    if (extra > 0 || missing || wrongly) {
      problems.push(
        `${order.id} (${order.outcome}): ${status ?? 'missing'}${found?.cancel_reason ? ` (${found.cancel_reason})` : ''}, payments ${paid}, refunds ${refunded}, shipment ${shipment ?? 'none'}, notifications ${sent.join('+') || 'none'}`,
      );
    }
  }
  if (goodsAndMoney > 0) problems.push(`${goodsAndMoney} refunded orders with a shipment out`);

  let deadLetters = 0;
  if (options.deadLetters) {
    for (const letter of await deadLettersOf(platform)) {
      if (options.expectedLetters?.has(letter.messageId)) continue;
      deadLetters += 1;
      problems.push(`dead letter of ${letter.consumer}: ${letter.reason}`);
    }
  }
  return {
    orders: accepted.length,
    terminal,
    duplicates,
    lost,
    deadLetters,
    wrong,
    recalled,
    goodsAndMoney,
    lostEndings,
    lostIds,
    problems,
  };
}

export interface StoredLetter {
  readonly messageId: string;
  readonly consumer: string;
  readonly reason: string;
  readonly deliveries: number;
  /** Set when the body did not fit beside the headers: its size in bytes. */
  readonly bodyLeftOut: string | undefined;
}

/**
 * Every dead letter of every app, read from the DEADLETTERS stream as an
 * operator's monitoring user may: all of them, however many.
 */
export async function deadLettersOf(platform: Platform<NatsDeployment>): Promise<StoredLetter[]> {
  const wire = await Wire.connect(platform.nats.url);
  try {
    return (await wire.storedMessages('DEADLETTERS', 'dlq.>')).map(({ headers }) => ({
      messageId: headers[DeadLetterHeader.MessageId] ?? '?',
      consumer: headers[DeadLetterHeader.Consumer] ?? '?',
      reason: headers[DeadLetterHeader.Reason] ?? '?',
      deliveries: Number(headers[DeadLetterHeader.Deliveries]),
      bodyLeftOut: headers[DeadLetterHeader.BodyLeftOut],
    }));
  } finally {
    await wire.close();
  }
}

/**
 * True when every replica of every app answers ready with every dependency up:
 * readiness alone stays 200 through a NATS outage, which the body reports.
 */
export async function allReady(platform: Platform<NatsDeployment>): Promise<boolean> {
  const checks = APPS.flatMap((app) =>
    platform.replicas(app).map(async (replica) => {
      try {
        const response = await fetch(`${replica.baseUrl}/health/ready`, {
          signal: AbortSignal.timeout(2_000),
        });
        const body = (await response.json()) as { status?: string };
        return response.status === 200 && body.status === 'ok';
      } catch {
        return false;
      }
    }),
  );
  return (await Promise.all(checks)).every(Boolean);
}
