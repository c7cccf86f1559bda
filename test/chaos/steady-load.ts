import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { anOrderRequest, type NatsDeployment, type Platform } from '../e2e/platform.js';

/** How an order should end, by the order saga (docs/saga.md). */
export type Outcome = 'completed' | 'declined' | 'refunded';

export interface AcceptedOrder {
  readonly id: string;
  readonly outcome: Outcome;
  /** When its POST was answered 202, in ms since the load began. */
  readonly acceptedAt: number;
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

/**
 * Places `orders` orders evenly over `durationMs`, each as a careful client
 * would: on an error or no answer it tries again, on any orders replica, with
 * the same Idempotency-Key, until it gets its 202. Only 202s count as accepted.
 */
export class SteadyLoad {
  readonly accepted: AcceptedOrder[] = [];
  readonly rejected: string[] = [];
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

  private async place(outcome: Outcome): Promise<void> {
    const key = randomUUID();
    const body = JSON.stringify(bodyFor(outcome));
    const deadline = Date.now() + this.giveUpAfterMs;
    for (let attempt = 0; Date.now() < deadline; attempt += 1) {
      const replicas = this.platform.replicas('orders').filter((replica) => replica.isRunning);
      const replica = replicas[attempt % Math.max(1, replicas.length)];
      if (replica) {
        try {
          const response = await fetch(`${replica.baseUrl}/orders`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': key },
            body,
            signal: AbortSignal.timeout(5_000),
          });
          if (response.status === 202) {
            const order = (await response.json()) as { id: string };
            this.accepted.push({ id: order.id, outcome, acceptedAt: this.elapsed() });
            return;
          }
          await response.body?.cancel();
        } catch {
          // No answer: the replica died or the request timed out; try again.
        }
      }
      await sleep(250);
    }
    this.rejected.push(key);
  }
}
