import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { anOrderRequest, type NatsDeployment, type Platform } from '../e2e/platform.js';
import type { ServiceProcess } from '../support/service-process.js';

/** How an order should end, by the order saga (docs/saga.md). */
export type Outcome = 'completed' | 'declined' | 'refunded';

export interface AcceptedOrder {
  readonly id: string;
  readonly outcome: Outcome;
  /** When its POST was answered 202, in ms since the load began. */
  readonly acceptedAt: number;
}

/** What the clients were answered, over every attempt. */
export interface Answers {
  /** Count per HTTP status. */
  readonly byStatus: Map<number, number>;
  /** 503s that did not say when to come back. */
  unavailableWithoutRetryAfter: number;
  /** Attempts that got no answer at all (connection refused or reset, or timed out). */
  unanswered: number;
  /** The slowest 503, in ms: how long a client waited to hear it should come back later. */
  slowestUnavailableMs: number;
  /** The slowest answer of any status, in ms. */
  slowestMs: number;
}

/** 8 in 10 complete, 1 is declined (amount over the limit), 1 refunded (a country nobody ships to). */
function outcomeOf(index: number): Outcome {
  if (index % 10 === 3) return 'declined';
  if (index % 10 === 7) return 'refunded';
  return 'completed';
}

function bodyFor(outcome: Outcome) {
  if (outcome === 'declined') return anOrderRequest({ unitPrice: 200_000 });
  if (outcome === 'refunded') return anOrderRequest({ country: 'ZZ' });
  return anOrderRequest();
}

/** A careful client comes back when told to, but not later than this. */
const MAX_RETRY_AFTER_MS = 5_000;
const RETRY_MS = 250;

/** No answer: the connection was refused (nobody listening) or dropped (reset, or no answer in time). */
export const REFUSED = 0;
export const DROPPED = -1;

/**
 * Places `orders` orders evenly over `durationMs`, each as a careful client
 * would: on an error or no answer it tries again (after Retry-After when told),
 * on any orders replica, with the same Idempotency-Key, until it gets its 202.
 * Only 202s count as accepted.
 */
export class SteadyLoad {
  readonly accepted: AcceptedOrder[] = [];
  readonly rejected: string[] = [];
  readonly answers: Answers = {
    byStatus: new Map(),
    unavailableWithoutRetryAfter: 0,
    unanswered: 0,
    slowestUnavailableMs: 0,
    slowestMs: 0,
  };
  readonly done: Promise<void>;
  private readonly startedAt = Date.now();

  constructor(
    private readonly platform: Platform<NatsDeployment>,
    orders: number,
    durationMs: number,
    private readonly giveUpAfterMs = 60_000,
  ) {
    const interval = durationMs / orders;
    const placed: Promise<void>[] = [];
    this.done = (async () => {
      for (let index = 0; index < orders; index += 1) {
        const due = this.startedAt + index * interval;
        await sleep(Math.max(0, due - Date.now()));
        placed.push(this.place(outcomeOf(index)));
      }
      await Promise.all(placed);
    })();
  }

  elapsed(): number {
    return Date.now() - this.startedAt;
  }

  /** Answers with this status so far. */
  count(status: number): number {
    return this.answers.byStatus.get(status) ?? 0;
  }

  /**
   * One order placed on `replica` only, once, outside the steady rhythm: the
   * status it was answered, REFUSED or DROPPED. A 202 joins the accepted orders.
   */
  async placeOnce(replica: ServiceProcess, outcome: Outcome = 'completed'): Promise<number> {
    const body = JSON.stringify(bodyFor(outcome));
    return (await this.attempt(replica, randomUUID(), outcome, body)).status;
  }

  private async place(outcome: Outcome): Promise<void> {
    const key = randomUUID();
    const body = JSON.stringify(bodyFor(outcome));
    const deadline = Date.now() + this.giveUpAfterMs;
    for (let attempt = 0; Date.now() < deadline; attempt += 1) {
      const replicas = this.platform.replicas('orders').filter((replica) => replica.isRunning);
      const replica = replicas[attempt % Math.max(1, replicas.length)];
      let wait = RETRY_MS;
      if (replica) {
        const answer = await this.attempt(replica, key, outcome, body);
        if (answer.status === 202) return;
        if (answer.retryAfterMs) wait = Math.min(answer.retryAfterMs, MAX_RETRY_AFTER_MS);
      }
      await sleep(wait);
    }
    this.rejected.push(key);
  }

  private async attempt(
    replica: ServiceProcess,
    key: string,
    outcome: Outcome,
    body: string,
  ): Promise<{ status: number; retryAfterMs?: number }> {
    const started = Date.now();
    try {
      const response = await fetch(`${replica.baseUrl}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body,
        signal: AbortSignal.timeout(5_000),
      });
      const { byStatus } = this.answers;
      this.answers.slowestMs = Math.max(this.answers.slowestMs, Date.now() - started);
      byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
      if (response.status === 202) {
        const order = (await response.json()) as { id: string };
        this.accepted.push({ id: order.id, outcome, acceptedAt: this.elapsed() });
        return { status: 202 };
      }
      await response.body?.cancel();
      if (response.status !== 503) return { status: response.status };
      this.answers.slowestUnavailableMs = Math.max(
        this.answers.slowestUnavailableMs,
        Date.now() - started,
      );
      const retryAfter = Number(response.headers.get('retry-after'));
      if (!(retryAfter > 0)) this.answers.unavailableWithoutRetryAfter += 1;
      return { status: 503, retryAfterMs: retryAfter > 0 ? retryAfter * 1_000 : undefined };
    } catch (error) {
      // No answer: the replica died, stopped listening or the request timed out; try again.
      this.answers.unanswered += 1;
      const code = (error as { cause?: { code?: string } }).cause?.code;
      return { status: code === 'ECONNREFUSED' ? REFUSED : DROPPED };
    }
  }
}
