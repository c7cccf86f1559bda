import { z } from 'zod';
import { withUnknownFields, type MessageDefinition } from '@app/contracts';

export type JsonSchema = Record<string, unknown>;

/**
 * A message's body as JSON Schema draft-07, the dialect AsyncAPI schemas build
 * on, converted by zod itself so it is exactly what the catalog validates
 * (refinements zod cannot express, such as "no NUL character", are left out).
 * It is the version producers send, as strict as the outbox holds them to;
 * consumers ignore fields they do not know.
 */
export function payloadSchema(message: MessageDefinition): JsonSchema {
  return jsonSchemaOf(message.sentSchema as z.ZodType);
}

/** Any message schema as draft-07 JSON Schema, every object closed to unknown fields. */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(withUnknownFields(schema, 'reject'), {
    target: 'draft-07',
    io: 'input',
  }) as JsonSchema;
  return json;
}
