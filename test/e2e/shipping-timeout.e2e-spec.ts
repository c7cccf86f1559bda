import { afterAll, beforeAll, describe } from 'vitest';
import { shippingTimeout } from '../flows/flows/order-outcomes.js';
import { registerFlows } from '../flows/register.js';
import { Platform } from './platform.js';

const SHIPPING_TIMEOUT_MS = 1_500;
/** The carrier takes longer than orders waits: the parcel goes out after the order gave up. */
const CARRIER_LATENCY_MS = 3_500;

describe('the shipping deadline', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start({
      env: {
        orders: {
          ORDERS_SHIPPING_TIMEOUT_MS: String(SHIPPING_TIMEOUT_MS),
          ORDERS_DEADLINE_SWEEP_MS: '200',
        },
        shipping: { SHIPPING_PROVIDER_LATENCY_MS: String(CARRIER_LATENCY_MS) },
      },
    });
  });

  afterAll(async () => {
    await platform?.dispose();
  });

  registerFlows(() => platform.flowTarget({ shippingTimeoutMs: SHIPPING_TIMEOUT_MS }), {
    only: [shippingTimeout],
  });
});
