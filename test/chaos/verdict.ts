import { APPS, type NatsDeployment, type Platform } from '../e2e/platform.js';
import type { AcceptedOrder, Outcome } from './steady-load.js';

const TERMINAL = new Set(['COMPLETED', 'CANCELLED']);

/** What each outcome leaves behind when every message had its effect exactly once. */
const EXPECTED: Record<
  Outcome,
  { status: string; payments: number; refunds: number; notices: string[] }
> = {
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

export interface Verdict {
  readonly orders: number;
  readonly terminal: number;
  /** A second payment, refund or notification of one event for one order. */
  readonly duplicates: number;
  /** Orders not terminal, or missing a payment, refund or notification they should have. */
  readonly lost: number;
  readonly deadLetters: number;
  /** Orders that ended otherwise than the business rules say (wrong status). */
  readonly wrong: number;
  readonly problems: string[];
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
  withDeadLetters = true,
): Promise<Verdict> {
  const ids = accepted.map((order) => order.id);
  const statuses = new Map(
    (
      await platform.databases.orders.query<{ id: string; status: string }>(
        'SELECT id, status FROM orders WHERE id = ANY($1)',
        [ids],
      )
    ).map((row) => [row.id, row.status]),
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
  const problems: string[] = [];
  for (const order of accepted) {
    const expected = EXPECTED[order.outcome];
    const status = statuses.get(order.id);
    const paid = payments.get(order.id) ?? 0;
    const refunded = refunds.get(order.id) ?? 0;
    const sent = (notices.get(order.id) ?? []).sort();
    const distinct = [...new Set(sent)];
    if (status && TERMINAL.has(status)) terminal += 1;
    const extra =
      Math.max(0, paid - 1) + Math.max(0, refunded - 1) + (sent.length - distinct.length);
    const missing =
      !status || !TERMINAL.has(status) || paid < expected.payments || refunded < expected.refunds
        ? 1
        : expected.notices.filter((notice) => !distinct.includes(notice)).length > 0
          ? 1
          : 0;
    if (extra > 0) duplicates += 1;
    if (missing > 0) lost += 1;
    if (status && TERMINAL.has(status) && status !== expected.status) wrong += 1;
    if (
      extra > 0 ||
      missing > 0 ||
      (status && TERMINAL.has(status) && status !== expected.status)
    ) {
      problems.push(
        `${order.id} (${order.outcome}): ${status ?? 'missing'}, payments ${paid}, refunds ${refunded}, notifications ${sent.join('+') || 'none'}`,
      );
    }
  }

  let deadLetters = 0;
  for (const app of withDeadLetters ? APPS : []) {
    const response = await platform.admin(app).get('/dead-letters?limit=100');
    const letters =
      (response.body as { deadLetters?: Array<{ reason?: string }> }).deadLetters ?? [];
    deadLetters += letters.length;
    for (const letter of letters) problems.push(`${app} dead letter: ${letter.reason ?? '?'}`);
  }
  return { orders: accepted.length, terminal, duplicates, lost, deadLetters, wrong, problems };
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
