import { Parser } from '@asyncapi/parser';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  catalog,
  consumerName,
  deadLetterSubject,
  Header,
  MESSAGE_HEADERS,
  OrderPlaced,
  originsOf,
  recipientsOf,
  streamOf,
  Streams,
} from '@app/contracts';
import { asyncApiDocument } from './document.js';
import { documentationSources } from './sources.js';

const ERROR = 0;

interface Document {
  channels: Record<
    string,
    { address: string; messages: Record<string, unknown> } & Record<string, unknown>
  >;
  operations: Record<
    string,
    { action: string; channel: { $ref: string } } & Record<string, unknown>
  >;
  components: {
    schemas: Record<string, Record<string, unknown>>;
    messages: Record<string, unknown>;
  };
}

const sources = await documentationSources();

function generated(): Document {
  return asyncApiDocument(sources) as unknown as Document;
}

describe(asyncApiDocument.name, () => {
  it('is a valid AsyncAPI 3.0 document for the official parser', async () => {
    const { document, diagnostics } = await new Parser().parse(stringify(generated()));
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === ERROR);
    expect(errors.map((error) => `${error.path.join('/')}: ${error.message}`)).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
    // The official parser takes seconds of CPU; on a busy 2-core machine, more than the default.
  }, 30_000);

  it('gives every catalog message its channel, stream, component and dead-letter channels', () => {
    const { channels, components } = generated();
    for (const message of catalog) {
      const channel = channels[message.subject];
      expect(channel?.address, message.name).toBe(message.subject);
      expect(channel?.['x-jetstream-stream']).toBe(streamOf(message));
      expect(components.messages).toHaveProperty(message.name);
      for (const app of recipientsOf(message)) {
        expect(channels[deadLetterSubject(app, message)]?.['x-jetstream-stream']).toBe(
          Streams.DeadLetters,
        );
      }
    }
  });

  it('has each origin send and each recipient receive, through its durable consumer', () => {
    const { operations } = generated();
    for (const message of catalog) {
      for (const app of originsOf(message)) {
        const send = operations[`${app}.send.${message.name}`];
        expect(send?.action, `${app} sends ${message.name}`).toBe('send');
        expect(send?.channel.$ref).toBe(`#/channels/${message.subject}`);
      }
      for (const app of recipientsOf(message)) {
        const receive = operations[`${app}.receive.${message.name}`];
        expect(receive?.action, `${app} receives ${message.name}`).toBe('receive');
        expect(receive?.['x-jetstream-consumer']).toBe(consumerName(app, message));
      }
    }
    const receivers = Object.values(operations).filter(
      (operation) => operation.action === 'receive',
    );
    const deliveries = catalog.flatMap((message) => recipientsOf(message));
    expect(receivers).toHaveLength(deliveries.length);
  });

  it('requires the six headers of every message and pins its message-type and the version sent', () => {
    const { schemas } = generated().components;
    expect(schemas.MessageHeaders?.required).toEqual([...MESSAGE_HEADERS]);
    expect(schemas.OrderPlacedHeaders).toEqual({
      allOf: [
        { $ref: '#/components/schemas/MessageHeaders' },
        {
          type: 'object',
          properties: {
            [Header.MessageType]: { const: OrderPlaced.name },
            [Header.MessageVersion]: { const: '1' },
          },
        },
      ],
    });
  });

  it('says which version of each message producers send and consumers read', () => {
    const message = generated().components.messages[OrderPlaced.name] as Record<string, unknown>;
    expect(message['x-message-version']).toEqual({
      sends: 1,
      current: 1,
      reads: [1],
    });
  });

  it('describes each body with a schema that accepts what the catalog accepts and nothing more', () => {
    const schema = generated().components.schemas[OrderPlaced.name]!;
    const validate = new Ajv({ strict: false, validateFormats: false }).compile(schema);
    const placed = {
      orderId: '4a1e8f0e-5b7c-4d7e-9a4b-1f2e3d4c5b6a',
      customerId: '9b2c7d1e-3f4a-4b5c-8d6e-7f8091a2b3c4',
      total: 2500,
      currency: 'EUR',
      items: [{ sku: 'BOOK-42', quantity: 2, unitPrice: 1250 }],
      address: { line1: '1 St', city: 'Berlin', postalCode: '10115', country: 'DE' },
    };
    expect(OrderPlaced.schema.safeParse(placed).success).toBe(true);
    expect(validate(placed)).toBe(true);
    expect(validate({ ...placed, extra: 1 })).toBe(false);
    expect(validate({ ...placed, total: 25.5 })).toBe(false);
    expect(validate({ ...placed, items: [] })).toBe(false);
  });
});
