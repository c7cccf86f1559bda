import { randomUUID } from 'node:crypto';
import { customerToken } from '../../scripts/auth/tokens.js';
import type { GatewayUrls } from './compose-project.js';

export type OrderStatus = 'PENDING' | 'PAID' | 'REFUNDING' | 'COMPLETED' | 'CANCELLED';

export interface Order {
  readonly id: string;
  readonly status: OrderStatus;
  readonly cancelReason: string | null;
}

export interface Payment {
  readonly id: string;
  readonly status: string;
}

export interface OrderRequest {
  readonly country: string;
  readonly unitPrice: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function getJson<T>(url: string, headers: Record<string, string>): Promise<T> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The system as a client sees it: the gateway's published ports, nothing else. */
export class GatewayClient {
  readonly customerId = randomUUID();
  // Compose authenticates customers with the demo key: the client signs as `npm run auth:token` does.
  private readonly token = customerToken(this.customerId, { expiresIn: '4h' });

  constructor(readonly urls: GatewayUrls) {}

  private async credentials(): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${await this.token}` };
  }

  /**
   * POST /orders once; resolves with the order id, or throws with the status
   * and body (a client retries with the same Idempotency-Key).
   */
  async placeOrder(request: OrderRequest, idempotencyKey: string): Promise<string> {
    const response = await fetch(`${this.urls.orders}/orders`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': idempotencyKey,
        ...(await this.credentials()),
      },
      body: JSON.stringify({
        customerId: this.customerId,
        currency: 'EUR',
        items: [{ sku: 'BOOK-42', quantity: 1, unitPrice: request.unitPrice }],
        address: {
          line1: '1 Main St',
          city: 'Berlin',
          postalCode: '10115',
          country: request.country,
        },
      }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = await response.text();
    if (response.status !== 201 && response.status !== 202)
      throw new Error(`POST /orders: ${response.status} ${body}`);
    return (JSON.parse(body) as Order).id;
  }

  /** Places an order, retrying with the same Idempotency-Key while the system answers errors, up to `giveUpMs`. */
  async placeOrderRetrying(
    request: OrderRequest,
    giveUpMs = 120_000,
  ): Promise<{ id: string; attempts: number }> {
    const key = `compose-test-${randomUUID()}`;
    const deadline = Date.now() + giveUpMs;
    for (let attempts = 1; ; attempts += 1) {
      try {
        return { id: await this.placeOrder(request, key), attempts };
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(Math.min(2000, 100 * attempts));
      }
    }
  }

  async order(id: string): Promise<Order> {
    return getJson<Order>(`${this.urls.orders}/orders/${id}`, await this.credentials());
  }

  async payments(orderId: string): Promise<Payment[]> {
    return (
      await getJson<{ items: Payment[] }>(
        `${this.urls.payments}/payments?orderId=${orderId}`,
        await this.credentials(),
      )
    ).items;
  }

  async shipments(orderId: string): Promise<{ status: string }[]> {
    return (
      await getJson<{ items: { status: string }[] }>(
        `${this.urls.shipping}/shipments?orderId=${orderId}`,
        await this.credentials(),
      )
    ).items;
  }

  async notifications(orderId: string): Promise<{ eventType: string }[]> {
    return (
      await getJson<{ items: { eventType: string }[] }>(
        `${this.urls.notifications}/notifications?orderId=${orderId}`,
        await this.credentials(),
      )
    ).items;
  }

  /**
   * Waits until every order has left PENDING, PAID and REFUNDING; resolves
   * with the final orders. Fails naming the orders still in flight.
   */
  async settled(ids: readonly string[], timeoutMs: number): Promise<Order[]> {
    const settled = new Map<string, Order>();
    const last = new Map<string, string>();
    const deadline = Date.now() + timeoutMs;
    while (settled.size < ids.length) {
      const open = ids.filter((id) => !settled.has(id));
      for (let index = 0; index < open.length; index += 8) {
        await Promise.all(
          open.slice(index, index + 8).map(async (id) => {
            try {
              const order = await this.order(id);
              last.set(id, order.status);
              if (order.status === 'COMPLETED' || order.status === 'CANCELLED')
                settled.set(id, order);
            } catch (error) {
              last.set(id, error instanceof Error ? error.message : String(error));
            }
          }),
        );
      }
      if (settled.size === ids.length) break;
      if (Date.now() > deadline) {
        const stuck = ids.filter((id) => !settled.has(id));
        throw new Error(
          `${stuck.length} of ${ids.length} orders not finished after ${timeoutMs / 1000} s, e.g. ` +
            stuck
              .slice(0, 3)
              .map((id) => `${id}: ${last.get(id) ?? 'never read'}`)
              .join('; '),
        );
      }
      await sleep(1000);
    }
    return ids.map((id) => settled.get(id) as Order);
  }
}

/** Orders placed continuously by a few clients, each retrying with its Idempotency-Key until accepted. */
export class OrderLoad {
  private readonly accepted: string[] = [];
  private readonly lost: string[] = [];
  private retries = 0;
  private running = true;
  private readonly clients: Promise<void>[];

  constructor(
    private readonly client: GatewayClient,
    concurrency = 4,
    private readonly pauseMs = 100,
  ) {
    this.clients = Array.from({ length: concurrency }, () => this.loop());
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        const { id, attempts } = await this.client.placeOrderRetrying({
          country: 'DE',
          unitPrice: 1250,
        });
        this.accepted.push(id);
        this.retries += attempts - 1;
      } catch (error) {
        this.lost.push(error instanceof Error ? error.message : String(error));
      }
      await sleep(this.pauseMs);
    }
  }

  get acceptedSoFar(): number {
    return this.accepted.length;
  }

  /** Stops placing orders, once every client's order in hand is accepted or given up on. */
  async stop(): Promise<{ accepted: string[]; lost: string[]; retries: number }> {
    this.running = false;
    await Promise.all(this.clients);
    return { accepted: [...this.accepted], lost: [...this.lost], retries: this.retries };
  }
}
