import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { Fault } from '../fault.js';

const SHIPPING_TIMEOUT_MS = 3_000;
const CARRIER_LATENCY_MS = 6_000;
const SLOW_FOR_MS = 12_000;

/**
 * A third shipping replica whose carrier takes twice the shipping deadline:
 * the orders it ships are refunded and cancelled at the deadline, and their
 * parcel, sent afterwards, is recalled; each customer is told the correction
 * once, and none keeps both the goods and the money.
 */
export const lateShipments: Fault = {
  name: `a shipping replica ${CARRIER_LATENCY_MS / 1_000} s a parcel for ${SLOW_FOR_MS / 1_000} s, past the shipping deadline (${SHIPPING_TIMEOUT_MS / 1_000} s)`,
  settings: { orders: { ORDERS_SHIPPING_TIMEOUT_MS: String(SHIPPING_TIMEOUT_MS) } },
  judging: { lateShipments: true },
  inject: async ({ platform }) => {
    const slow = await platform.startReplica('shipping', {
      SHIPPING_PROVIDER_LATENCY_MS: String(CARRIER_LATENCY_MS),
    });
    await sleep(SLOW_FOR_MS);
    // Its parcels in hand go out first: late, each of them.
    await platform.terminateReplica('shipping', slow);
  },
  alsoExpect: async ({ platform, notes }, verdict) => {
    const [row] = await platform.databases.notifications.query<{ count: string }>(
      `SELECT count(*) FROM notifications WHERE event_type = 'ShipmentRecalled'`,
    );
    notes.push(`${verdict.recalled} shipments late: recalled, ${row?.count ?? 0} corrections sent`);
    expect(verdict.recalled, 'orders whose shipment came late').toBeGreaterThan(0);
    expect(Number(row?.count)).toBe(verdict.recalled);
    expect(verdict.goodsAndMoney, 'customers with the goods and the money').toBe(0);
  },
};
