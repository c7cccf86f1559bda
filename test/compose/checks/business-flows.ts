import { check } from '../report.js';
import type { GatewayClient } from '../gateway-client.js';
import { eventually, expectOnePaymentEach } from './expectations.js';

/** The business settings of the run's env file that decide which path an order takes. */
export interface BusinessSettings {
  readonly declineAbove: number;
  readonly shippingCountries: readonly string[];
}

function expectIncludes(
  what: string,
  actual: readonly string[],
  expected: readonly string[],
): void {
  const missing = expected.filter((item) => !actual.includes(item));
  if (missing.length > 0)
    throw new Error(`${what} lacks ${missing.join(', ')} (has ${actual.join(', ') || 'nothing'})`);
}

/**
 * The three paths of the order saga, through the gateway only. This step is
 * the black-box business flows in small: it can be replaced by the flows
 * suite pointed at the gateway (FLOWS_ORDERS_URL=<gateway urls.orders>, ...).
 * Returns the ids of the orders it placed.
 */
export async function businessFlowsThroughGateway(
  client: GatewayClient,
  settings: BusinessSettings,
): Promise<string[]> {
  const placed: string[] = [];
  const shipsTo = settings.shippingCountries[0] ?? 'DE';
  const doesNotShipTo =
    ['BR', 'ZA', 'MX', 'IN', 'AR'].find(
      (country) => !settings.shippingCountries.includes(country),
    ) ?? 'BR';

  await check('saga: paid and shipped order COMPLETED', async () => {
    const { id } = await client.placeOrderRetrying({ country: shipsTo, unitPrice: 1250 }, 10_000);
    placed.push(id);
    const [order] = await client.settled([id], 60_000);
    if (order?.status !== 'COMPLETED')
      throw new Error(`order ${id} is ${order?.status} (${order?.cancelReason}), not COMPLETED`);
    await expectOnePaymentEach(client, [id], 'COMPLETED');
    const shipments = await client.shipments(id);
    if (shipments.length !== 1)
      throw new Error(`order ${id} has ${shipments.length} shipments, not one`);
    await eventually(async () =>
      expectIncludes(
        `notifications of ${id}`,
        (await client.notifications(id)).map((note) => note.eventType),
        ['OrderPlaced', 'OrderCompleted'],
      ),
    );
    return `order ${id.slice(0, 8)}: payment COMPLETED, shipment ${shipments[0]?.status}, customer notified`;
  });

  await check('saga: declined payment CANCELLED', async () => {
    const { id } = await client.placeOrderRetrying(
      { country: shipsTo, unitPrice: settings.declineAbove + 1 },
      10_000,
    );
    placed.push(id);
    const [order] = await client.settled([id], 60_000);
    if (order?.status !== 'CANCELLED')
      throw new Error(`order ${id} is ${order?.status}, not CANCELLED`);
    await expectOnePaymentEach(client, [id], 'DECLINED');
    const shipments = await client.shipments(id);
    if (shipments.length !== 0)
      throw new Error(`order ${id} was shipped although its payment was declined`);
    await eventually(async () =>
      expectIncludes(
        `notifications of ${id}`,
        (await client.notifications(id)).map((note) => note.eventType),
        ['OrderPlaced', 'OrderCancelled'],
      ),
    );
    return `order ${id.slice(0, 8)} above ${settings.declineAbove}: payment DECLINED, nothing shipped (${order.cancelReason})`;
  });

  await check(`saga: unshippable (${doesNotShipTo}) order refunded`, async () => {
    const { id } = await client.placeOrderRetrying(
      { country: doesNotShipTo, unitPrice: 1250 },
      10_000,
    );
    placed.push(id);
    const [order] = await client.settled([id], 60_000);
    if (order?.status !== 'CANCELLED')
      throw new Error(`order ${id} is ${order?.status}, not CANCELLED`);
    await expectOnePaymentEach(client, [id], 'REFUNDED');
    const shipments = await client.shipments(id);
    if (shipments[0]?.status !== 'FAILED')
      throw new Error(
        `the shipment of order ${id} is ${shipments[0]?.status ?? 'missing'}, not FAILED`,
      );
    await eventually(async () =>
      expectIncludes(
        `notifications of ${id}`,
        (await client.notifications(id)).map((note) => note.eventType),
        ['OrderPlaced', 'OrderCancelled'],
      ),
    );
    return `order ${id.slice(0, 8)}: shipment FAILED, payment REFUNDED (${order.cancelReason})`;
  });

  return placed;
}
