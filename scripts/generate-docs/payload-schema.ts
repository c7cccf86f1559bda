import { z } from 'zod';
import type { MessageDefinition } from '@app/contracts';

export type JsonSchema = Record<string, unknown>;

/**
 * A message's body as JSON Schema draft-07, the dialect AsyncAPI schemas build
 * on, converted by zod itself so it is exactly what the catalog validates
 * (refinements zod cannot express, such as "no NUL character", are left out).
 */
export function payloadSchema(message: MessageDefinition): JsonSchema {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(message.schema, {
    target: 'draft-07',
    io: 'input',
  }) as JsonSchema;
  return schema;
}
