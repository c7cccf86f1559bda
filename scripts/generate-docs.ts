import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { stringify } from 'yaml';
import { decide, orderSaga, type SagaMessage } from '../apps/orders/src/domain/order-saga.js';
import { placeOrder, type OutgoingMessage } from '../apps/orders/src/domain/order.js';
import { messageCatalogMarkdown } from './generate-docs/catalog-markdown.js';
import { asyncApiDocument } from './generate-docs/document.js';
import { messageMapDiagram, participantsTable } from './generate-docs/participants-markdown.js';
import { documentationSources } from './generate-docs/sources.js';
import {
  mermaidStateDiagram,
  replaceBetweenMarkers,
  type StateTransition,
} from './generate-docs/state-diagram.js';
import {
  deadLetterHeadersTable,
  messageHeadersTable,
  streamsTable,
} from './generate-docs/wire-contract-markdown.js';

const root = resolve(import.meta.dirname, '..');

const sampleOrder = placeOrder(
  {
    id: '6a0c4d8e-1f2b-4c3d-8e4f-5a6b7c8d9e0f',
    customerId: '7b1d5e9f-2a3c-4d4e-9f5a-6b7c8d9e0f1a',
    currency: 'EUR',
    items: [{ sku: 'BOOK-42', quantity: 1, unitPrice: 1250 }],
    address: { line1: '1 Example St', city: 'Berlin', postalCode: '10115', country: 'DE' },
  },
  new Date(0),
);

/** One message of each kind that moves an order; their fields only fill the messages the saga sends. */
const sampleSagaMessages: Record<SagaMessage['type'], SagaMessage> = {
  PaymentCompleted: { type: 'PaymentCompleted', paymentId: 'p', amount: 1250, currency: 'EUR' },
  PaymentDeclined: { type: 'PaymentDeclined', reason: 'declined' },
  PaymentRefunded: { type: 'PaymentRefunded', paymentId: 'p', amount: 1250, currency: 'EUR' },
  OrderShipped: {
    type: 'OrderShipped',
    shipmentId: '5c9e3f1a-7b2d-4e8f-a1c3-9d0e2f4b6a8c',
    trackingNumber: 't',
  },
  ShipmentFailed: { type: 'ShipmentFailed', reason: 'failed' },
  PaymentDeadlinePassed: { type: 'PaymentDeadlinePassed' },
  ShippingDeadlinePassed: { type: 'ShippingDeadlinePassed' },
  RefundDeadlinePassed: { type: 'RefundDeadlinePassed' },
  RefundAttemptsExhausted: { type: 'RefundAttemptsExhausted' },
};

function emitted(messages: readonly OutgoingMessage[]) {
  return messages.map(({ message }) => ({ name: message.name, kind: message.kind }));
}

/** The saga's table, each row run once on a sample order to see what it sends. */
export function sagaTransitions(): StateTransition[] {
  return orderSaga.map((row) => {
    const order = { ...sampleOrder.order, status: row.from, paymentId: 'p' };
    const decision = decide(order, sampleSagaMessages[row.on]);
    if (!decision.applied) throw new Error(`the saga refuses its own row ${row.from}/${row.on}`);
    return { from: row.from, on: row.on, to: decision.to, emits: emitted(decision.messages) };
  });
}

export function sagaDiagram(): string {
  const start = {
    to: sampleOrder.order.status,
    on: 'order placed',
    emits: emitted(sampleOrder.messages),
  };
  return ['```mermaid', mermaidStateDiagram(start, sagaTransitions()), '```'].join('\n');
}

/** A hand-written page with generated sections between markers: the prose stays, the facts are refreshed. */
async function withGeneratedSections(path: string, sections: Record<string, string>) {
  let text = await readFile(resolve(root, path), 'utf8');
  for (const [name, content] of Object.entries(sections)) {
    try {
      text = replaceBetweenMarkers(text, name, content);
    } catch (error) {
      throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
    }
  }
  return text;
}

async function prettified(path: string, text: string): Promise<string> {
  const filepath = resolve(root, path);
  return format(text, { ...(await resolveConfig(filepath)), filepath });
}

/** Every generated file, by path from the repository root, exactly as it should be committed. */
export async function generatedDocs(): Promise<Record<string, string>> {
  const sources = await documentationSources();
  return {
    'docs/asyncapi.yaml': await prettified(
      'docs/asyncapi.yaml',
      stringify(asyncApiDocument(sources), { lineWidth: 0, aliasDuplicateObjects: false }),
    ),
    'docs/message-catalog.md': await prettified(
      'docs/message-catalog.md',
      messageCatalogMarkdown(),
    ),
    'docs/architecture.md': await prettified(
      'docs/architecture.md',
      await withGeneratedSections('docs/architecture.md', {
        'message-map': ['```mermaid', messageMapDiagram(), '```'].join('\n'),
        participants: participantsTable(),
      }),
    ),
    'docs/wire-contract.md': await prettified(
      'docs/wire-contract.md',
      await withGeneratedSections('docs/wire-contract.md', {
        'wire-headers': messageHeadersTable(),
        'wire-streams': streamsTable(),
        'dead-letter-headers': deadLetterHeadersTable(),
      }),
    ),
    'docs/saga.md': await prettified(
      'docs/saga.md',
      await withGeneratedSections('docs/saga.md', { 'saga-diagram': sagaDiagram() }),
    ),
  };
}

async function main(): Promise<void> {
  for (const [path, text] of Object.entries(await generatedDocs())) {
    await writeFile(resolve(root, path), text);
    process.stdout.write(`wrote ${path}\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main().catch((error: unknown) => {
    process.stderr.write(
      `docs:generate: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
