import type { z } from 'zod';
import { originsOf, recipientsOf, versionsOf, type MessageDefinition } from '@app/contracts';
import { jsonSchemaOf, type JsonSchema } from '../generate-docs/payload-schema.js';

/** A field of a message's body as the check compares it; nested fields flattened. */
export interface FieldShape {
  /** `string`, `string:uuid`, `integer`, `array`, `object`; alternatives joined by `|`. */
  readonly type: string;
  readonly required: boolean;
  /** The values an enum allows, when it is one. */
  readonly enum?: readonly string[];
}

/** Each field by its path: `orderId`, `address.city`, `items[].sku`. */
export type VersionFields = Readonly<Record<string, FieldShape>>;

export interface MessageSnapshot {
  readonly kind: 'command' | 'event';
  readonly subject: string;
  /** The version its producers send. */
  readonly sends: number;
  readonly senders: readonly string[];
  readonly receivers: readonly string[];
  /** Every version its consumers read, by number. */
  readonly versions: Readonly<Record<string, VersionFields>>;
}

/** The contracts as released: what apps running now send and read. */
export interface ContractsSnapshot {
  readonly messages: Readonly<Record<string, MessageSnapshot>>;
}

function typeOf(schema: JsonSchema): string {
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (alternatives) return alternatives.map(typeOf).join('|');
  if ('const' in schema) return typeof schema.const;
  const type = Array.isArray(schema.type) ? schema.type.join('|') : String(schema.type ?? 'any');
  return typeof schema.format === 'string' ? `${type}:${schema.format}` : type;
}

/** Every field of an object schema, depth first: objects and arrays of objects opened up. */
export function fieldsOf(schema: JsonSchema, prefix = ''): Record<string, FieldShape> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const fields: Record<string, FieldShape> = {};
  for (const [name, property] of Object.entries(properties)) {
    const path = `${prefix}${name}`;
    fields[path] = {
      type: typeOf(property),
      required: required.has(name),
      ...(Array.isArray(property.enum) ? { enum: property.enum.map(String) } : {}),
    };
    const items = property.items as JsonSchema | undefined;
    if (property.type === 'object') Object.assign(fields, fieldsOf(property, `${path}.`));
    if (property.type === 'array' && items?.type === 'object') {
      Object.assign(fields, fieldsOf(items, `${path}[].`));
    }
  }
  return fields;
}

export function messageSnapshot(message: MessageDefinition): MessageSnapshot {
  return {
    kind: message.kind,
    subject: message.subject,
    sends: message.sends,
    senders: originsOf(message),
    receivers: recipientsOf(message),
    versions: Object.fromEntries(
      versionsOf(message).map(({ version, schema }) => [
        String(version),
        fieldsOf(jsonSchemaOf(schema as z.ZodType)),
      ]),
    ),
  };
}

/** The catalog as the check compares it, messages by name. */
export function snapshotOf(messages: readonly MessageDefinition[]): ContractsSnapshot {
  const sorted = [...messages].sort((a, b) => a.name.localeCompare(b.name));
  return {
    messages: Object.fromEntries(sorted.map((message) => [message.name, messageSnapshot(message)])),
  };
}
