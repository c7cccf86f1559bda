import { describe, expect, it } from 'vitest';
import { OrderStatus, placeOrder, type Order } from '../../domain/order.js';
import { OrderNotFound } from '../../domain/order-errors.js';
import { OrderStatusChangedEvent } from '../../domain/order-status-changed.event.js';
import {
  ImmediateCommit,
  InMemoryOrderStore,
  PublishedEvents,
  RecordedMessages,
  testConfig,
} from '../../../test/in-memory-orders.js';
import { AdvanceOrderSagaCommand } from './advance-order-saga.command.js';
import { AdvanceOrderSagaHandler } from './advance-order-saga.handler.js';

const ORDER_ID = '7c1d7d9e-2b1a-4f0e-9a63-8d7f2b7f0c11';
const PAYMENT_ID = '9a8b7c6d-5e4f-4a3b-9c1d-0e1f2a3b4c5d';
const SHIPMENT_ID = '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e';

async function aPendingOrder(state: Partial<Order> = {}) {
  const orders = new InMemoryOrderStore();
  const outbox = new RecordedMessages();
  const events = new PublishedEvents();
  const { order } = placeOrder(
    {
      id: ORDER_ID,
      customerId: '2f6b9a4c-5d3e-4a1b-8c7d-9e0f1a2b3c4d',
      currency: 'EUR',
      items: [{ sku: 'BOOK-1', quantity: 1, unitPrice: 900 }],
      address: { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
    },
    new Date(),
  );
  orders.seed({ ...order, deadlineAt: new Date(), ...state });
  const handler = new AdvanceOrderSagaHandler(
    orders,
    outbox,
    new ImmediateCommit(),
    events,
    testConfig,
  );
  const store = {
    rows: orders.rows,
    history: orders.history,
    sent: outbox.sent,
    published: events.published,
  };
  return { store, handler };
}

describe(AdvanceOrderSagaHandler.name, () => {
  it('applies a fitting message: new state, shipping deadline, history and ShipOrder', async () => {
    const { store, handler } = await aPendingOrder();
    const result = await handler.execute(
      new AdvanceOrderSagaCommand(
        ORDER_ID,
        { type: 'PaymentCompleted', paymentId: PAYMENT_ID, amount: 900, currency: 'EUR' },
        'msg-1',
      ),
    );

    expect(result).toEqual({ applied: true, status: 'PAID' });
    const row = store.rows.get(ORDER_ID);
    expect(row?.order).toMatchObject({ status: 'PAID', paymentId: PAYMENT_ID });
    expect(row?.order.deadlineAt?.getTime()).toBeGreaterThan(Date.now() + 100_000);
    expect(store.history).toMatchObject([
      {
        from: 'PENDING',
        to: 'PAID',
        messageType: 'PaymentCompleted',
        messageId: 'msg-1',
        ignored: false,
      },
    ]);
    expect(store.sent.map((m) => m.name)).toEqual(['ShipOrder']);
    expect(store.published).toEqual([
      new OrderStatusChangedEvent(ORDER_ID, 'PENDING', 'PAID', 'PaymentCompleted'),
    ]);
  });

  it('records, and does not apply, a message that does not fit the state', async () => {
    const { store, handler } = await aPendingOrder();
    const result = await handler.execute(
      new AdvanceOrderSagaCommand(
        ORDER_ID,
        { type: 'OrderShipped', shipmentId: PAYMENT_ID, trackingNumber: 'T' },
        'msg-2',
      ),
    );

    expect(result).toEqual({ applied: false, status: 'PENDING' });
    expect(store.rows.get(ORDER_ID)?.order.status).toBe('PENDING');
    expect(store.history).toMatchObject([
      {
        from: 'PENDING',
        to: null,
        messageId: 'msg-2',
        ignored: true,
        note: 'OrderShipped does not apply to a PENDING order',
      },
    ]);
    expect(store.sent).toEqual([]);
    expect(store.published).toEqual([]);
  });

  describe('on a REFUNDING order', () => {
    const refundDeadline = new Date('2030-01-01T00:00:00Z');
    const refunding = {
      status: OrderStatus.Refunding,
      paymentId: PAYMENT_ID,
      cancelReason: 'shipping timeout',
      refundAttempts: 1,
      deadlineAt: refundDeadline,
    };

    it('starts the refund deadline anew when it asks for the refund again', async () => {
      const { store, handler } = await aPendingOrder(refunding);
      const before = Date.now();
      await handler.execute(
        new AdvanceOrderSagaCommand(ORDER_ID, { type: 'RefundDeadlinePassed' }, 'tick-1'),
      );

      const order = store.rows.get(ORDER_ID)?.order;
      expect(order).toMatchObject({ status: 'REFUNDING', refundAttempts: 2 });
      expect(order?.deadlineAt?.getTime()).toBeGreaterThanOrEqual(
        before + testConfig.ORDERS_REFUND_TIMEOUT_MS,
      );
      expect(store.sent.map((m) => m.name)).toEqual(['RefundPayment']);
    });

    it('keeps the refund deadline running while it recalls a late shipment', async () => {
      const { store, handler } = await aPendingOrder(refunding);
      await handler.execute(
        new AdvanceOrderSagaCommand(
          ORDER_ID,
          { type: 'OrderShipped', shipmentId: SHIPMENT_ID, trackingNumber: 'T' },
          'msg-4',
        ),
      );

      expect(store.rows.get(ORDER_ID)?.order).toMatchObject({
        status: 'REFUNDING',
        shipmentId: SHIPMENT_ID,
        deadlineAt: refundDeadline,
      });
      expect(store.sent.map((m) => m.name)).toEqual(['RecallShipment']);
    });

    it('parks the order with no deadline and records why in its history', async () => {
      const { store, handler } = await aPendingOrder({ ...refunding, refundAttempts: 3 });
      await handler.execute(
        new AdvanceOrderSagaCommand(ORDER_ID, { type: 'RefundAttemptsExhausted' }, 'tick-2'),
      );

      expect(store.rows.get(ORDER_ID)?.order).toMatchObject({
        status: 'REFUND_STALLED',
        deadlineAt: null,
      });
      expect(store.history).toMatchObject([
        {
          from: 'REFUNDING',
          to: 'REFUND_STALLED',
          ignored: false,
          note: 'no PaymentRefunded after 3 RefundPayment(s): refund by hand',
        },
      ]);
      expect(store.sent).toEqual([]);
    });
  });

  it('fails for an unknown order, so that the transport retries it', async () => {
    const { handler } = await aPendingOrder();
    await expect(
      handler.execute(
        new AdvanceOrderSagaCommand(PAYMENT_ID, { type: 'PaymentDeclined', reason: 'no' }, 'msg-3'),
      ),
    ).rejects.toBeInstanceOf(OrderNotFound);
  });
});
