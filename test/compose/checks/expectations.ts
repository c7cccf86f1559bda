import type { GatewayClient, Order } from '../gateway-client.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every order COMPLETED; otherwise names how many ended otherwise, and why. */
export function expectAllCompleted(orders: readonly Order[]): void {
  const other = orders.filter((order) => order.status !== 'COMPLETED');
  if (other.length > 0)
    throw new Error(
      `${other.length} of ${orders.length} orders did not complete, e.g. ${other[0]?.id}: ${other[0]?.status} (${other[0]?.cancelReason ?? 'no reason'})`,
    );
}

/** payments holds exactly one payment for each order, in the given status. */
export async function expectOnePaymentEach(
  client: GatewayClient,
  ids: readonly string[],
  status = 'COMPLETED',
): Promise<void> {
  for (let index = 0; index < ids.length; index += 8) {
    await Promise.all(
      ids.slice(index, index + 8).map(async (id) => {
        const payments = await client.payments(id);
        if (payments.length !== 1)
          throw new Error(
            `order ${id} has ${payments.length} payments (${payments.map((payment) => payment.status).join(', ')}), not exactly one`,
          );
        if (payments[0]?.status !== status)
          throw new Error(`the payment of order ${id} is ${payments[0]?.status}, not ${status}`);
      }),
    );
  }
}

/** Retries `probe` until it holds, or fails with its last reason after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(500);
    }
  }
}
