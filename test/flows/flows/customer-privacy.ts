import { expect } from 'vitest';
import type { Flow } from '../flow.js';

export const customersSeeOnlyTheirOwn: Flow = {
  name: "a customer cannot read another customer's orders, and no one reads without a token",
  smoke: true,
  unsupportedBy: (target) =>
    target.credentialsOf === undefined
      ? 'the target does not authenticate customers (its API is open)'
      : undefined,
  async run(shop) {
    const owner = await shop.newCustomer();
    const other = await shop.newCustomer();
    const placed = (await owner.placeOrder()).body;

    const read = await other.request('orders', `/orders/${placed.id}`);
    expect(read.status, 'another customer reads the order').toBe(404);
    const listed = await other.request('orders', `/orders?customerId=${owner.id}`);
    expect(listed.status, "another customer lists the owner's orders").toBe(403);
    const forged = await other.request('orders', '/orders', { json: owner.anOrder() });
    expect(forged.status, 'another customer orders in the owner’s name').toBe(403);
    const anonymous = await shop.request('orders', `/orders/${placed.id}`);
    expect(anonymous.status, 'a request without a token').toBe(401);
    expect((await owner.order(placed.id)).id).toBe(placed.id);
  },
};
