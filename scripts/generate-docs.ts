import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DeadLetterHeader, Header, Streams } from '@app/contracts';
import { streamConfigs, subscriptionFor } from '@app/messaging';
import { format, resolveConfig } from 'prettier';
import { stringify } from 'yaml';
import {
  asyncApiDocument,
  messageCatalogMarkdown,
  mermaidStateDiagram,
  messageMapDiagram,
  participantsTable,
  replaceBetweenMarkers,
  type DocumentationSources,
  type StateTransition,
} from '../libs/contracts/src/asyncapi/index.js';
import { decide, orderSaga, type SagaMessage } from '../apps/orders/src/domain/order-saga.js';
import { placeOrder, type OutgoingMessage } from '../apps/orders/src/domain/order.js';

const root = resolve(import.meta.dirname, '..');

const NANOS_PER_MS = 1_000_000;

const streamPurpose: Record<string, string> = {
  [Streams.Commands]:
    'one durable consumer per command type, shared by the replicas of its receiving app; a command is deleted once acknowledged.',
  [Streams.Events]:
    'one durable consumer per (subscribing app, event type), shared by that app’s replicas; events stay for replay.',
  [Streams.DeadLetters]:
    'messages a consumer gave up on, with why; kept until an operator replays or deletes them.',
};

function purposeOf(stream: string): string {
  const purpose = streamPurpose[stream];
  if (!purpose) throw new Error(`say what the stream ${stream} is for in streamPurpose`);
  return purpose;
}

export async function documentationSources(): Promise<DocumentationSources> {
  const pkg = JSON.parse(await readFile(resolve(root, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  return {
    title: `${pkg.name} messages`,
    version: pkg.version,
    streams: streamConfigs(1).map((config) => ({
      name: config.name,
      subjects: config.subjects ?? [],
      retention: String(config.retention),
      storage: String(config.storage),
      maxAgeMs: config.max_age ? config.max_age / NANOS_PER_MS : undefined,
      duplicateWindowMs: config.duplicate_window
        ? config.duplicate_window / NANOS_PER_MS
        : undefined,
      purpose: purposeOf(config.name),
    })),
    headers: Header,
    deadLetterHeaders: DeadLetterHeader,
    servers: {
      local: {
        host: '127.0.0.1:4222',
        description:
          'The default `NATS_URL` of every app: nats-server with JetStream on this machine.',
      },
      compose: {
        host: 'nats:4222',
        description:
          'NATS inside the Docker Compose network (docker-compose.yml); each app connects as its own user, whose permissions `npm run generate:nats-auth` derives from the catalog.',
        appUsers: true,
      },
    },
    consumerOf: (app, message) => subscriptionFor(app, message).consumer,
  };
}

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
  OrderShipped: { type: 'OrderShipped', shipmentId: 's', trackingNumber: 't' },
  ShipmentFailed: { type: 'ShipmentFailed', reason: 'failed' },
  PaymentDeadlinePassed: { type: 'PaymentDeadlinePassed' },
  ShippingDeadlinePassed: { type: 'ShippingDeadlinePassed' },
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
      messageCatalogMarkdown(sources.headers),
    ),
    'docs/architecture.md': await prettified(
      'docs/architecture.md',
      await withGeneratedSections('docs/architecture.md', {
        'message-map': ['```mermaid', messageMapDiagram(), '```'].join('\n'),
        participants: participantsTable(),
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
