import { describe, expect, it } from 'vitest';
import { OrderPlaced, ProcessPayment } from '@app/contracts';
import { toFlowMessage } from './flow-message.js';

const ORDER_ID = '0b6f8f3e-4a8e-4f0e-9a43-5b0e7c2d1f10';
const AT = 1_764_300_000_000;

describe(toFlowMessage.name, () => {
  it('turns a command on the wire into a flow message of its catalog entry', () => {
    expect(
      toFlowMessage(
        ProcessPayment.subject,
        { messageType: 'ProcessPayment', correlationId: ORDER_ID },
        AT,
      ),
    ).toEqual({ name: 'ProcessPayment', kind: 'command', orderId: ORDER_ID, at: AT });
  });

  it('turns an event on the wire into a flow message of its catalog entry', () => {
    expect(
      toFlowMessage(
        OrderPlaced.subject,
        { messageType: 'OrderPlaced', correlationId: ORDER_ID },
        AT,
      ),
    ).toMatchObject({ name: 'OrderPlaced', kind: 'event', orderId: ORDER_ID });
  });

  it('ignores a subject the catalog does not know', () => {
    expect(toFlowMessage('evt.orders.Unknown', { messageType: 'Unknown' }, AT)).toBeNull();
  });

  it('ignores a message whose type contradicts its subject', () => {
    expect(toFlowMessage(OrderPlaced.subject, { messageType: 'ProcessPayment' }, AT)).toBeNull();
  });

  it('keeps a message without an order, and drops a correlation id that is not an id', () => {
    expect(toFlowMessage(OrderPlaced.subject, {}, AT)).toMatchObject({ orderId: null });
    expect(
      toFlowMessage(OrderPlaced.subject, { correlationId: '<script>alert(1)</script>' }, AT),
    ).toMatchObject({ name: 'OrderPlaced', orderId: null });
  });
});
