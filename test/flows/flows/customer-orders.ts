import { expect } from 'vitest';
import type { Flow } from '../flow.js';

const ORDERS = 5;
const PAGE = 2;

export const customerOrdersPaginated: Flow = {
  name: "a customer's orders are listed newest first, a page at a time, and no one else's",
  async run(shop) {
    const customer = await shop.newCustomer();
    const placed: string[] = [];
    for (let i = 0; i < ORDERS; i += 1) placed.push((await customer.placeOrder()).body.id);
    const someoneElse = await shop.newCustomer();
    await someoneElse.placeOrder();

    const seen: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await customer.orders({ limit: PAGE, ...(cursor ? { cursor } : {}) });
      pageSizes.push(page.items.length);
      seen.push(...page.items.map((order) => order.id));
      for (const order of page.items) expect(order.customerId).toBe(customer.id);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pageSizes.length <= ORDERS);
    expect(seen).toEqual([...placed].reverse());
    expect(pageSizes).toEqual([2, 2, 1]);
  },
};
