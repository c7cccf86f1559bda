import { describe, expect, it } from 'vitest';
import { catalog, originsOf, recipientsOf } from '@app/contracts';
import { messageMapDiagram, participantsTable } from './participants-markdown.js';

describe(messageMapDiagram.name, () => {
  it('draws a solid arrow for commands and a dotted one to each subscriber of an event', () => {
    const lines = messageMapDiagram().split('\n');
    expect(lines).toContain('  orders -->|ProcessPayment<br/>RefundPayment| payments');
    expect(lines).toContain(
      '  payments -.->|PaymentCompleted<br/>PaymentDeclined<br/>PaymentRefunded| orders',
    );
    expect(lines).toContain('  payments -.->|PaymentDeclined| notifications');
    const drawn = lines.slice(1).flatMap((line) => {
      const [, from, arrow, names, to] = /^ {2}(\S+) (\S+)\|(.+)\| (\S+)$/.exec(line)!;
      return names!.split('<br/>').map((name) => `${from} ${arrow} ${to}: ${name}`);
    });
    const deliveries = catalog.flatMap((message) =>
      originsOf(message).flatMap((origin) =>
        recipientsOf(message).map(
          (to) => `${origin} ${message.kind === 'command' ? '-->' : '-.->'} ${to}: ${message.name}`,
        ),
      ),
    );
    expect(drawn.sort()).toEqual(deliveries.sort());
  });
});

describe(participantsTable.name, () => {
  it('gives each app a row of what it sends, publishes, receives and subscribes to', () => {
    expect(participantsTable().split('\n')).toContain(
      '| payments | – | PaymentCompleted, PaymentDeclined, PaymentRefunded | ProcessPayment, RefundPayment | – |',
    );
  });
});
