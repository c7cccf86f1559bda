import { describe, expect, it } from 'vitest';
import { catalog } from './catalog.js';
import { OrderPlaced } from './orders/order-placed.event.js';
import { originsOf, participantNames, participants, recipientsOf } from './participants.js';
import { PaymentDeclined } from './payments/payment-declined.event.js';
import { ProcessPayment } from './payments/process-payment.command.js';

describe('participants of the message catalog', () => {
  it('delivers a command to its one receiver and an event to every subscriber', () => {
    expect(recipientsOf(ProcessPayment)).toEqual(['payments']);
    expect(originsOf(ProcessPayment)).toEqual(['orders']);
    expect(recipientsOf(PaymentDeclined)).toEqual(['orders', 'notifications']);
    expect(recipientsOf(OrderPlaced)).toEqual(['notifications']);
  });

  it('gives every message of the catalog an origin and a recipient', () => {
    for (const message of catalog) {
      expect(originsOf(message), message.name).not.toHaveLength(0);
      expect(recipientsOf(message), message.name).not.toHaveLength(0);
    }
  });

  it('lists only catalog messages of the right kind, for apps the catalog knows', () => {
    for (const app of participantNames()) {
      const { sends, subscribesTo } = participants[app]!;
      for (const command of sends) expect(command.kind).toBe('command');
      for (const event of subscribesTo) expect(event.kind).toBe('event');
      for (const message of [...sends, ...subscribesTo]) expect(catalog).toContain(message);
    }
    const owners = new Set(catalog.map((message) => message.app));
    for (const owner of owners) expect(participantNames()).toContain(owner);
  });
});
