import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { anOrderRequest } from '../support/order-request.js';
import type { ServiceProcess } from '../support/service-process.js';

/** An order of the stream: when it was placed, and the status the rules give it. */
export interface StreamedOrder {
  readonly id: string;
  readonly phase: string;
  readonly total: number;
  readonly expected: 'COMPLETED' | 'CANCELLED';
}

/** Above payments' default limit (100 000): declined, so the order is cancelled. */
const DECLINED_UNIT_PRICE = 60_000;

/**
 * A steady stream of orders, one at a time with a pause between, each sent to
 * the next running replica of orders in turn, as a load balancer would; one
 * in ten is over the payment limit.
 */
export class OrderStream {
  readonly orders: StreamedOrder[] = [];
  phase = '';
  private running: Promise<void> | undefined;
  private failure: unknown;
  private stopping = false;
  private next = 0;

  constructor(
    private readonly ordersReplicas: () => readonly ServiceProcess[],
    private readonly pauseMs: number,
  ) {}

  start(): void {
    this.running = this.run().catch((error: unknown) => {
      this.failure = error;
    });
  }

  /** Stops placing orders; fails if placing one failed. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
    if (this.failure) throw this.failure;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const declined = this.orders.length % 10 === 9;
      const body = anOrderRequest(declined ? { unitPrice: DECLINED_UNIT_PRICE } : {});
      const replicas = this.ordersReplicas().filter((replica) => replica.isRunning);
      const replica = replicas[this.next++ % replicas.length];
      if (!replica) throw new Error('no replica of orders is running');
      const response = await request(replica.baseUrl).post('/orders').send(body);
      if (response.status !== 202) {
        throw new Error(
          `POST /orders answered ${response.status}: ${JSON.stringify(response.body)}`,
        );
      }
      const { id, total } = response.body as { id: string; total: number };
      this.orders.push({
        id,
        phase: this.phase,
        total,
        expected: declined ? 'CANCELLED' : 'COMPLETED',
      });
      await sleep(this.pauseMs);
    }
  }
}
