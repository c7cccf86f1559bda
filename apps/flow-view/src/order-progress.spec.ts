import { describe, expect, it } from 'vitest';
import { catalog } from '@app/contracts';
import { OrderStatus, orderStatuses } from '../../orders/src/domain/order.js';
import { orderSaga } from '../../orders/src/domain/order-saga.js';
import type { FlowMessage } from './flow-wire.js';
import { ORDER_STATUSES, RecentOrders, SAGA_STEPS, statusAfter } from './order-progress.js';

const { Pending, Paid, Completed, Refunding, Cancelled } = OrderStatus;

describe('the saga as the flow view reads it off the wire', () => {
  it('has the statuses of the orders app, in its order', () => {
    expect(ORDER_STATUSES).toEqual(orderStatuses);
  });

  it('takes exactly the steps of the orders saga on a message of the catalog, in its order', () => {
    const onTheWire = new Set(catalog.map((message) => message.name));
    const steps = orderSaga
      .filter((row) => onTheWire.has(row.on))
      .map(({ from, on, to }) => ({ from, on, to }));
    expect(SAGA_STEPS).toEqual(steps);
  });
});

function aMessage(name: string, orderId: string | null = 'order-1', at = 1): FlowMessage {
  return { name, kind: name.endsWith('Payment') ? 'command' : 'event', orderId, at };
}

describe(statusAfter.name, () => {
  it.each([
    [Pending, 'PaymentCompleted', Paid],
    [Pending, 'PaymentDeclined', Cancelled],
    [Paid, 'OrderShipped', Completed],
    [Paid, 'ShipmentFailed', Refunding],
    [Refunding, 'PaymentRefunded', Cancelled],
    [Paid, 'OrderCompleted', Completed],
    [Pending, 'OrderCancelled', Cancelled],
  ] as const)('moves a %s order on %s to %s', (from, message, to) => {
    expect(statusAfter(from, message)).toBe(to);
  });

  it('starts following an order at PENDING when it is placed', () => {
    expect(statusAfter(undefined, 'OrderPlaced')).toBe(Pending);
  });

  it('keeps the status when a message does not fit it, as the saga does', () => {
    expect(statusAfter(Completed, 'PaymentCompleted')).toBe(Completed);
    expect(statusAfter(Paid, 'OrderPlaced')).toBe(Paid);
  });

  it('leaves the status alone on a command', () => {
    expect(statusAfter(Pending, 'ProcessPayment')).toBe(Pending);
    expect(statusAfter(undefined, 'ShipOrder')).toBeUndefined();
  });

  it('picks up an order first seen mid-saga at the forward step of its message', () => {
    expect(statusAfter(undefined, 'PaymentCompleted')).toBe(Paid);
    expect(statusAfter(undefined, 'OrderShipped')).toBe(Completed);
  });
});

describe(RecentOrders.name, () => {
  it('follows an order through its saga, recording the path it took', () => {
    const orders = new RecentOrders(10);
    for (const name of ['OrderPlaced', 'ProcessPayment', 'PaymentCompleted', 'ShipOrder']) {
      orders.apply(aMessage(name));
    }
    const completed = orders.apply(aMessage('OrderShipped', 'order-1', 5));
    expect(completed).toEqual({
      id: 'order-1',
      status: Completed,
      path: [Pending, Paid, Completed],
      lastMessage: 'OrderShipped',
      updatedAt: 5,
    });
  });

  it('tracks nothing for a message without an order', () => {
    const orders = new RecentOrders(10);
    expect(orders.apply(aMessage('OrderPlaced', null))).toBeUndefined();
    expect(orders.list()).toEqual([]);
  });

  it('keeps only the most recently active orders, newest first', () => {
    const orders = new RecentOrders(2);
    orders.apply(aMessage('OrderPlaced', 'a'));
    orders.apply(aMessage('OrderPlaced', 'b'));
    orders.apply(aMessage('PaymentCompleted', 'a'));
    orders.apply(aMessage('OrderPlaced', 'c'));
    expect(orders.list().map((order) => order.id)).toEqual(['c', 'a']);
  });
});
