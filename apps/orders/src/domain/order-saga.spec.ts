import { describe, expect, it } from 'vitest';
import { OrderStatus, OrderTotalTooLarge, placeOrder, type NewOrder, type Order } from './order.js';
import {
  CANCELLED_BEFORE_PAYMENT,
  deadlineFor,
  deadlineMessage,
  decide,
  PAYMENT_TIMEOUT,
  SHIPPED_AFTER_CANCELLATION,
  SHIPPING_TIMEOUT,
  type SagaMessage,
} from './order-saga.js';

const ORDER_ID = '7c1d7d9e-2b1a-4f0e-9a63-8d7f2b7f0c11';
const CUSTOMER_ID = '2f6b9a4c-5d3e-4a1b-8c7d-9e0f1a2b3c4d';
const PAYMENT_ID = '9a8b7c6d-5e4f-4a3b-9c1d-0e1f2a3b4c5d';
const SHIPMENT_ID = '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e';

function anOrder(overrides: Partial<Order> = {}): Order {
  const { order } = placeOrder(
    {
      id: ORDER_ID,
      customerId: CUSTOMER_ID,
      currency: 'EUR',
      items: [{ sku: 'BOOK-1', quantity: 2, unitPrice: 1_250 }],
      address: { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
    },
    new Date('2026-01-01T00:00:00Z'),
  );
  return { ...order, ...overrides };
}

const paid = { status: OrderStatus.Paid, paymentId: PAYMENT_ID };
const paymentCompleted: SagaMessage = {
  type: 'PaymentCompleted',
  paymentId: PAYMENT_ID,
  amount: 2_500,
  currency: 'EUR',
};
const paymentRefunded: SagaMessage = {
  type: 'PaymentRefunded',
  paymentId: PAYMENT_ID,
  amount: 2_500,
  currency: 'EUR',
};

function sent(decision: ReturnType<typeof decide>) {
  if (!decision.applied) return [];
  return decision.messages.map(({ message, payload }) => ({ name: message.name, payload }));
}

/** Two items (3 × 100 and 1 × 50) to Berlin. */
function aNewOrder(): NewOrder {
  return {
    id: ORDER_ID,
    customerId: CUSTOMER_ID,
    currency: 'EUR',
    items: [
      { sku: 'A', quantity: 3, unitPrice: 100 },
      { sku: 'B', quantity: 1, unitPrice: 50 },
    ],
    address: { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
  };
}

describe('placing an order', () => {
  it('stores it PENDING with its total, emits OrderPlaced and sends ProcessPayment', () => {
    const { order, messages } = placeOrder(aNewOrder(), new Date());
    expect(order.status).toBe('PENDING');
    expect(order.total).toBe(350);
    expect(messages.map((m) => m.message.name)).toEqual(['OrderPlaced', 'ProcessPayment']);
    expect(messages[1]?.payload).toEqual({
      orderId: ORDER_ID,
      customerId: CUSTOMER_ID,
      amount: 350,
      currency: 'EUR',
    });
  });
});

describe(decide.name, () => {
  it('moves PENDING to PAID on PaymentCompleted and sends ShipOrder', () => {
    const decision = decide(anOrder(), paymentCompleted);
    expect(decision).toMatchObject({
      applied: true,
      from: 'PENDING',
      to: 'PAID',
      changes: { paymentId: PAYMENT_ID },
    });
    expect(sent(decision)).toEqual([
      {
        name: 'ShipOrder',
        payload: {
          orderId: ORDER_ID,
          customerId: CUSTOMER_ID,
          items: [{ sku: 'BOOK-1', quantity: 2 }],
          address: { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
        },
      },
    ]);
  });

  it('cancels a PENDING order on PaymentDeclined and emits OrderCancelled with the reason', () => {
    const decision = decide(anOrder(), { type: 'PaymentDeclined', reason: 'over the limit' });
    expect(decision).toMatchObject({ applied: true, from: 'PENDING', to: 'CANCELLED' });
    expect(sent(decision)).toEqual([
      {
        name: 'OrderCancelled',
        payload: { orderId: ORDER_ID, customerId: CUSTOMER_ID, reason: 'over the limit' },
      },
    ]);
  });

  it('cancels a PENDING order whose payment deadline passed, for payment timeout', () => {
    const decision = decide(anOrder(), { type: 'PaymentDeadlinePassed' });
    expect(decision).toMatchObject({
      applied: true,
      to: 'CANCELLED',
      changes: { cancelReason: PAYMENT_TIMEOUT },
    });
    expect(sent(decision)).toEqual([
      {
        name: 'OrderCancelled',
        payload: { orderId: ORDER_ID, customerId: CUSTOMER_ID, reason: PAYMENT_TIMEOUT },
      },
    ]);
  });

  it('completes a PAID order on OrderShipped and emits OrderCompleted', () => {
    const decision = decide(anOrder(paid), {
      type: 'OrderShipped',
      shipmentId: SHIPMENT_ID,
      trackingNumber: 'TRK1',
    });
    expect(decision).toMatchObject({
      applied: true,
      from: 'PAID',
      to: 'COMPLETED',
      changes: { shipmentId: SHIPMENT_ID, trackingNumber: 'TRK1' },
    });
    expect(sent(decision)).toEqual([
      { name: 'OrderCompleted', payload: { orderId: ORDER_ID, customerId: CUSTOMER_ID } },
    ]);
  });

  it('refunds a PAID order whose shipment failed', () => {
    const decision = decide(anOrder(paid), {
      type: 'ShipmentFailed',
      reason: 'shipping to ZZ is not supported',
    });
    expect(decision).toMatchObject({ applied: true, from: 'PAID', to: 'REFUNDING' });
    expect(sent(decision)).toEqual([
      {
        name: 'RefundPayment',
        payload: {
          orderId: ORDER_ID,
          paymentId: PAYMENT_ID,
          amount: 2_500,
          currency: 'EUR',
          reason: 'shipping to ZZ is not supported',
        },
      },
    ]);
  });

  it('refunds a PAID order whose shipping deadline passed', () => {
    const decision = decide(anOrder(paid), { type: 'ShippingDeadlinePassed' });
    expect(decision).toMatchObject({
      applied: true,
      to: 'REFUNDING',
      changes: { cancelReason: SHIPPING_TIMEOUT },
    });
    expect(sent(decision).map((m) => m.name)).toEqual(['RefundPayment']);
  });

  it('cancels a REFUNDING order once refunded, with the reason that started the refund', () => {
    const refunding = anOrder({
      ...paid,
      status: OrderStatus.Refunding,
      cancelReason: SHIPPING_TIMEOUT,
    });
    const decision = decide(refunding, paymentRefunded);
    expect(decision).toMatchObject({ applied: true, from: 'REFUNDING', to: 'CANCELLED' });
    expect(sent(decision)).toEqual([
      {
        name: 'OrderCancelled',
        payload: { orderId: ORDER_ID, customerId: CUSTOMER_ID, reason: SHIPPING_TIMEOUT },
      },
    ]);
  });

  it('refunds a PaymentCompleted that arrives for a CANCELLED order', () => {
    const cancelled = anOrder({ status: OrderStatus.Cancelled, cancelReason: PAYMENT_TIMEOUT });
    const decision = decide(cancelled, paymentCompleted);
    expect(decision).toMatchObject({
      applied: true,
      from: 'CANCELLED',
      to: 'CANCELLED',
      changes: { paymentId: PAYMENT_ID, refundAttempts: 1 },
      // The refund is waited for as any other.
      restartsDeadline: true,
      awaits: 'refund',
    });
    expect(sent(decision)).toEqual([
      {
        name: 'RefundPayment',
        payload: {
          orderId: ORDER_ID,
          paymentId: PAYMENT_ID,
          amount: 2_500,
          currency: 'EUR',
          reason: CANCELLED_BEFORE_PAYMENT,
        },
      },
    ]);
  });

  it.each([
    [OrderStatus.Pending, { type: 'OrderShipped', shipmentId: SHIPMENT_ID, trackingNumber: 'T' }],
    [OrderStatus.Paid, paymentCompleted],
    [OrderStatus.Paid, { type: 'PaymentDeclined', reason: 'late' }],
    [OrderStatus.Completed, { type: 'ShipmentFailed', reason: 'late' }],
    [OrderStatus.Completed, { type: 'ShippingDeadlinePassed' }],
    [OrderStatus.Completed, { type: 'OrderShipped', shipmentId: SHIPMENT_ID, trackingNumber: 'T' }],
    [OrderStatus.Refunding, { type: 'ShipmentFailed', reason: 'late' }],
    [OrderStatus.Refunding, paymentCompleted],
    [OrderStatus.RefundStalled, { type: 'ShipmentFailed', reason: 'late' }],
    [OrderStatus.RefundStalled, { type: 'RefundDeadlinePassed' }],
    [OrderStatus.Cancelled, { type: 'PaymentDeclined', reason: 'late' }],
    [OrderStatus.Cancelled, { type: 'ShipmentFailed', reason: 'late' }],
    [OrderStatus.Cancelled, { type: 'PaymentDeadlinePassed' }],
    [OrderStatus.Completed, paymentRefunded],
  ] as Array<[OrderStatus, SagaMessage]>)(
    'ignores, with a reason, a %s order getting %o',
    (status, message) => {
      const decision = decide(anOrder({ ...paid, status }), message);
      expect(decision).toEqual({
        applied: false,
        reason: `${message.type} does not apply to a ${status} order`,
      });
    },
  );
});

describe(deadlineFor.name, () => {
  const since = new Date('2026-01-01T00:00:00Z');
  const timeouts = { paymentTimeoutMs: 1_000, shippingTimeoutMs: 5_000, refundTimeoutMs: 7_000 };

  it('gives PENDING the payment timeout, PAID the shipping timeout and REFUNDING the refund timeout', () => {
    expect(deadlineFor(OrderStatus.Pending, since, timeouts)).toEqual(
      new Date('2026-01-01T00:00:01Z'),
    );
    expect(deadlineFor(OrderStatus.Paid, since, timeouts)).toEqual(
      new Date('2026-01-01T00:00:05Z'),
    );
    expect(deadlineFor(OrderStatus.Refunding, since, timeouts)).toEqual(
      new Date('2026-01-01T00:00:07Z'),
    );
  });

  it('gives no deadline to states that wait for nothing of their own', () => {
    for (const status of [
      OrderStatus.Completed,
      OrderStatus.RefundStalled,
      OrderStatus.Cancelled,
    ]) {
      expect(deadlineFor(status, since, timeouts)).toBeNull();
      expect(deadlineMessage(anOrder({ status }), 3)).toBeNull();
    }
  });
});

describe('placing an order, in full', () => {
  it('emits OrderPlaced with the total, the items at their prices and the address', () => {
    const { messages } = placeOrder(aNewOrder(), new Date());
    expect(messages[0]?.payload).toEqual({
      orderId: ORDER_ID,
      customerId: CUSTOMER_ID,
      total: 350,
      currency: 'EUR',
      items: [
        { sku: 'A', quantity: 3, unitPrice: 100 },
        { sku: 'B', quantity: 1, unitPrice: 50 },
      ],
      address: { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
    });
  });

  it('refuses an order whose total does not fit in an exact integer of minor units', () => {
    const place = () =>
      placeOrder(
        {
          id: ORDER_ID,
          customerId: CUSTOMER_ID,
          currency: 'EUR',
          items: [{ sku: 'A', quantity: 1000, unitPrice: Number.MAX_SAFE_INTEGER }],
          address: { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
        },
        new Date(),
      );
    expect(place).toThrow(OrderTotalTooLarge);
    expect(place).toThrow(
      expect.objectContaining({
        code: 'ORDER.TOTAL_TOO_LARGE',
        message: 'the order total does not fit in an exact integer of minor units',
      }),
    );
  });
});

describe('the saga, at its edges', () => {
  it('records the refund of a late charge on a CANCELLED order: it sends nothing, and waits for nothing more', () => {
    const cancelled = anOrder({ status: OrderStatus.Cancelled, cancelReason: PAYMENT_TIMEOUT });
    expect(decide(cancelled, paymentRefunded)).toEqual({
      applied: true,
      from: 'CANCELLED',
      to: 'CANCELLED',
      changes: {},
      messages: [],
      note: null,
      restartsDeadline: true,
      awaits: null,
    });
  });

  it('cancels a REFUNDING order that has no recorded reason as refunded', () => {
    const refunding = anOrder({ ...paid, status: OrderStatus.Refunding, cancelReason: null });
    expect(sent(decide(refunding, paymentRefunded))).toEqual([
      {
        name: 'OrderCancelled',
        payload: { orderId: ORDER_ID, customerId: CUSTOMER_ID, reason: 'refunded' },
      },
    ]);
  });

  it('refuses to refund a PAID order that has no payment to refund', () => {
    const unpaid = anOrder({ status: OrderStatus.Paid, paymentId: null });
    expect(() => decide(unpaid, { type: 'ShippingDeadlinePassed' })).toThrow(
      `order ${ORDER_ID} is PAID without a payment`,
    );
  });

  // A reason is free text of 1 to 500 characters on the wire: the customer reads it.
  it('gives every cancellation, refund and recall a reason in words', () => {
    expect([
      PAYMENT_TIMEOUT,
      SHIPPING_TIMEOUT,
      CANCELLED_BEFORE_PAYMENT,
      SHIPPED_AFTER_CANCELLATION,
    ]).toEqual([
      'payment timeout',
      'shipping timeout',
      'order cancelled before the payment arrived',
      'shipped after the order was cancelled',
    ]);
  });

  it('sends only messages that their contracts accept', () => {
    const refunding = { ...paid, status: OrderStatus.Refunding, cancelReason: SHIPPING_TIMEOUT };
    const steps: Array<[Partial<Order>, SagaMessage]> = [
      [{}, paymentCompleted],
      [{}, { type: 'PaymentDeclined', reason: 'over the limit' }],
      [{}, { type: 'PaymentDeadlinePassed' }],
      [paid, { type: 'OrderShipped', shipmentId: SHIPMENT_ID, trackingNumber: 'TRK1' }],
      [paid, { type: 'ShipmentFailed', reason: 'no carrier' }],
      [paid, { type: 'ShippingDeadlinePassed' }],
      [refunding, paymentRefunded],
      [refunding, { type: 'RefundDeadlinePassed' }],
      [refunding, { type: 'RefundAttemptsExhausted' }],
      [refunding, { type: 'OrderShipped', shipmentId: SHIPMENT_ID, trackingNumber: 'TRK1' }],
      [{ status: OrderStatus.Cancelled }, paymentCompleted],
      [
        { status: OrderStatus.Cancelled },
        { type: 'OrderShipped', shipmentId: SHIPMENT_ID, trackingNumber: 'TRK1' },
      ],
    ];
    for (const [state, message] of steps) {
      const decision = decide(anOrder(state), message);
      expect(decision.applied).toBe(true);
      for (const outgoing of decision.applied ? decision.messages : []) {
        expect(outgoing.message.schema.safeParse(outgoing.payload).error).toBeUndefined();
      }
    }
  });
});

describe(deadlineMessage.name, () => {
  it('stands for the deadline of a PENDING order by PaymentDeadlinePassed, of a PAID one by ShippingDeadlinePassed', () => {
    expect(deadlineMessage(anOrder(), 3)).toEqual({ type: 'PaymentDeadlinePassed' });
    expect(deadlineMessage(anOrder(paid), 3)).toEqual({ type: 'ShippingDeadlinePassed' });
  });

  it('retries the refund of a REFUNDING order while attempts are left, and gives up after the last', () => {
    const refunding = (refundAttempts: number) =>
      anOrder({ ...paid, status: OrderStatus.Refunding, refundAttempts });
    expect(deadlineMessage(refunding(1), 3)).toEqual({ type: 'RefundDeadlinePassed' });
    expect(deadlineMessage(refunding(2), 3)).toEqual({ type: 'RefundDeadlinePassed' });
    expect(deadlineMessage(refunding(3), 3)).toEqual({ type: 'RefundAttemptsExhausted' });
    expect(deadlineMessage(refunding(1), 1)).toEqual({ type: 'RefundAttemptsExhausted' });
  });
});

describe('a refund that does not come back', () => {
  const refunding = anOrder({
    ...paid,
    status: OrderStatus.Refunding,
    cancelReason: SHIPPING_TIMEOUT,
    refundAttempts: 1,
  });

  it('counts the first RefundPayment as the first attempt', () => {
    const decision = decide(anOrder(paid), { type: 'ShippingDeadlinePassed' });
    expect(decision).toMatchObject({ changes: { refundAttempts: 1 }, restartsDeadline: true });
  });

  it('sends the same RefundPayment again, counts the attempt and waits anew', () => {
    const decision = decide(refunding, { type: 'RefundDeadlinePassed' });
    expect(decision).toMatchObject({
      applied: true,
      from: 'REFUNDING',
      to: 'REFUNDING',
      changes: { refundAttempts: 2, cancelReason: SHIPPING_TIMEOUT },
      restartsDeadline: true,
    });
    expect(sent(decision)).toEqual([
      {
        name: 'RefundPayment',
        payload: {
          orderId: ORDER_ID,
          paymentId: PAYMENT_ID,
          amount: 2_500,
          currency: 'EUR',
          reason: SHIPPING_TIMEOUT,
        },
      },
    ]);
  });

  it('parks the order as REFUND_STALLED once its attempts are spent, saying why and sending nothing', () => {
    const spent = { ...refunding, refundAttempts: 3 };
    expect(decide(spent, { type: 'RefundAttemptsExhausted' })).toEqual({
      applied: true,
      from: 'REFUNDING',
      to: 'REFUND_STALLED',
      changes: {},
      messages: [],
      note: 'no PaymentRefunded after 3 RefundPayment(s): refund by hand',
      restartsDeadline: true,
      awaits: null,
    });
  });

  it('cancels a parked order whose refund comes back late, with the reason that started the refund', () => {
    const parked = { ...refunding, status: OrderStatus.RefundStalled, refundAttempts: 3 };
    const decision = decide(parked, paymentRefunded);
    expect(decision).toMatchObject({ applied: true, from: 'REFUND_STALLED', to: 'CANCELLED' });
    expect(sent(decision)).toEqual([
      {
        name: 'OrderCancelled',
        payload: { orderId: ORDER_ID, customerId: CUSTOMER_ID, reason: SHIPPING_TIMEOUT },
      },
    ]);
  });
});

describe('the refund of a late charge that does not come back', () => {
  const lateCharged = anOrder({
    status: OrderStatus.Cancelled,
    cancelReason: PAYMENT_TIMEOUT,
    cancellationAnnounced: true,
    paymentId: PAYMENT_ID,
    refundAttempts: 1,
  });

  it('tells the customer once, when the order is cancelled, and records that it did', () => {
    const decision = decide(anOrder(), { type: 'PaymentDeadlinePassed' });
    expect(decision).toMatchObject({ changes: { cancellationAnnounced: true } });
    expect(sent(decision).map((message) => message.name)).toEqual(['OrderCancelled']);
  });

  it('stands for its deadline by RefundDeadlinePassed while attempts are left, then RefundAttemptsExhausted', () => {
    expect(deadlineMessage(lateCharged, 3)).toEqual({ type: 'RefundDeadlinePassed' });
    expect(deadlineMessage({ ...lateCharged, refundAttempts: 3 }, 3)).toEqual({
      type: 'RefundAttemptsExhausted',
    });
  });

  it('sends the RefundPayment again, counts the attempt and waits anew, the order still CANCELLED', () => {
    const decision = decide(lateCharged, { type: 'RefundDeadlinePassed' });
    expect(decision).toMatchObject({
      applied: true,
      from: 'CANCELLED',
      to: 'CANCELLED',
      changes: { refundAttempts: 2 },
      restartsDeadline: true,
      awaits: 'refund',
    });
    expect(sent(decision)).toEqual([
      {
        name: 'RefundPayment',
        payload: {
          orderId: ORDER_ID,
          paymentId: PAYMENT_ID,
          amount: 2_500,
          currency: 'EUR',
          reason: CANCELLED_BEFORE_PAYMENT,
        },
      },
    ]);
  });

  it('parks the order as REFUND_STALLED once its attempts are spent', () => {
    const decision = decide(
      { ...lateCharged, refundAttempts: 3 },
      { type: 'RefundAttemptsExhausted' },
    );
    expect(decision).toMatchObject({
      applied: true,
      from: 'CANCELLED',
      to: 'REFUND_STALLED',
      note: 'no PaymentRefunded after 3 RefundPayment(s): refund by hand',
      awaits: null,
    });
    expect(sent(decision)).toEqual([]);
  });

  it('ends a parked late charge CANCELLED when its refund comes, without telling the customer a second time', () => {
    const parked = { ...lateCharged, status: OrderStatus.RefundStalled, refundAttempts: 3 };
    const decision = decide(parked, paymentRefunded);
    expect(decision).toMatchObject({ applied: true, from: 'REFUND_STALLED', to: 'CANCELLED' });
    expect(sent(decision)).toEqual([]);
  });
});

describe('a shipment that goes out after the order gave up on it', () => {
  const shipped: SagaMessage = {
    type: 'OrderShipped',
    shipmentId: SHIPMENT_ID,
    trackingNumber: 'TRK1',
  };
  const recall = {
    name: 'RecallShipment',
    payload: { orderId: ORDER_ID, shipmentId: SHIPMENT_ID, reason: SHIPPED_AFTER_CANCELLATION },
  };

  it.each([OrderStatus.Cancelled, OrderStatus.Refunding, OrderStatus.RefundStalled])(
    'is recalled from a %s order, which stays as it is and keeps its clock',
    (status) => {
      const order = anOrder({ ...paid, status, cancelReason: SHIPPING_TIMEOUT, refundAttempts: 1 });
      const decision = decide(order, shipped);
      expect(decision).toMatchObject({
        applied: true,
        from: status,
        to: status,
        changes: { shipmentId: SHIPMENT_ID },
        restartsDeadline: false,
      });
      expect(sent(decision)).toEqual([recall]);
    },
  );

  it('completes a PAID order: a shipment in time is no late effect', () => {
    expect(sent(decide(anOrder(paid), shipped)).map((m) => m.name)).toEqual(['OrderCompleted']);
  });
});
