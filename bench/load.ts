import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { Outcome } from './options.js';

export interface PlacedOrder {
  readonly outcome: Outcome;
  /** Ms since the run started: when the order was due (open loop) or sent (closed loop). */
  readonly sentAt: number;
  /** When the 202 (or the error) came back. */
  readonly answeredAt: number;
  readonly status: number;
  readonly id: string | undefined;
  readonly error: string | undefined;
}

export interface LoadOptions {
  /** Base URLs of the orders replicas; requests go round-robin. */
  readonly urls: readonly string[];
  /** One entry per order to place, in order. */
  readonly outcomes: readonly Outcome[];
  readonly concurrency: number;
  readonly rate: number | undefined;
  readonly declineAbove: number;
  readonly startedAt: number;
}

/**
 * The body that leads to each outcome by the platform's deterministic rules:
 * an amount above the decline limit, or a country shipping does not serve.
 */
export function orderRequest(outcome: Outcome, declineAbove: number) {
  return {
    customerId: randomUUID(),
    currency: 'EUR',
    items:
      outcome === 'declined'
        ? [{ sku: 'TV-65', quantity: 1, unitPrice: declineAbove + 1 }]
        : [{ sku: 'BOOK-42', quantity: 2, unitPrice: 1_250 }],
    address: {
      line1: '1 Example Street',
      city: 'Berlin',
      postalCode: '10115',
      country: outcome === 'refunded' ? 'ZZ' : 'DE',
    },
  };
}

/**
 * Places every order over keep-alive HTTP. Closed loop: `concurrency` clients,
 * each sending its next order when the previous one is answered (the system
 * sets the pace). Open loop: orders go out at `rate` per second whatever the
 * system does, and latency counts from when each order was due, so a slow
 * answer cannot hide the queueing behind it.
 */
export async function placeOrders(options: LoadOptions): Promise<PlacedOrder[]> {
  const { outcomes, startedAt } = options;
  // node:http rather than fetch: it costs the client (on the same 2 cores) far less CPU per request.
  const agent = new Agent({
    keepAlive: true,
    maxSockets: options.rate ? 512 : options.concurrency,
  });
  const placed: PlacedOrder[] = [];
  const place = async (index: number, dueAt?: number) => {
    const outcome = outcomes[index] as Outcome;
    const url = options.urls[index % options.urls.length] as string;
    const sentAt = dueAt ?? performance.now() - startedAt;
    const answer = await post(agent, `${url}/orders`, orderRequest(outcome, options.declineAbove));
    placed[index] = { outcome, sentAt, answeredAt: performance.now() - startedAt, ...answer };
  };
  try {
    if (options.rate) await openLoop(outcomes.length, options.rate, startedAt, place);
    else await closedLoop(outcomes.length, options.concurrency, place);
  } finally {
    agent.destroy();
  }
  return placed;
}

async function closedLoop(
  count: number,
  concurrency: number,
  place: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await place(next++);
    }),
  );
}

async function openLoop(
  count: number,
  rate: number,
  startedAt: number,
  place: (index: number, dueAt: number) => Promise<void>,
): Promise<void> {
  const inFlight: Array<Promise<void>> = [];
  const begin = performance.now();
  let next = 0;
  while (next < count) {
    const elapsed = performance.now() - begin;
    const due = Math.min(count, Math.floor((elapsed * rate) / 1_000) + 1);
    while (next < due) {
      const dueAt = begin + (next * 1_000) / rate - startedAt;
      inFlight.push(place(next, dueAt));
      next += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await Promise.all(inFlight);
}

function post(
  agent: Agent,
  url: string,
  body: unknown,
): Promise<{ status: number; id: string | undefined; error: string | undefined }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status !== 202) {
            resolve({ status, id: undefined, error: text.slice(0, 200) });
            return;
          }
          try {
            const { id } = JSON.parse(text) as { id?: unknown };
            resolve({ status, id: typeof id === 'string' ? id : undefined, error: undefined });
          } catch {
            resolve({ status, id: undefined, error: `not JSON: ${text.slice(0, 200)}` });
          }
        });
      },
    );
    req.on('error', (error) => resolve({ status: 0, id: undefined, error: error.message }));
    req.end(payload);
  });
}
