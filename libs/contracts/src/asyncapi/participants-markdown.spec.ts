import { describe, expect, it } from 'vitest';
import { catalog } from '../catalog.js';
import { recipientsOf } from '../participants.js';
import { messageMapDiagram, participantsTable } from './participants-markdown.js';

describe(messageMapDiagram.name, () => {
  it('draws a solid arrow per command and a dotted one per subscriber of an event', () => {
    const lines = messageMapDiagram().split('\n');
    expect(lines).toContain('  orders -->|ProcessPayment| payments');
    expect(lines).toContain('  payments -.->|PaymentDeclined| orders');
    expect(lines).toContain('  payments -.->|PaymentDeclined| notifications');
    const deliveries = catalog.flatMap((message) => recipientsOf(message));
    expect(lines.slice(1)).toHaveLength(deliveries.length);
  });
});

describe(participantsTable.name, () => {
  it('gives each app a row of what it sends, publishes, receives and subscribes to', () => {
    expect(participantsTable().split('\n')).toContain(
      '| payments | – | PaymentCompleted, PaymentDeclined, PaymentRefunded | ProcessPayment, RefundPayment | – |',
    );
  });
});
