import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

const UUID = '0b6f3c1e-4d2a-4f8b-9c7d-5e6f7a8b9c0d';

function sampleString(schema: JsonSchema): string {
  if (schema.format === 'uuid') return UUID;
  if (schema.format === 'date-time') return new Date(0).toISOString();
  if (typeof schema.pattern === 'string') {
    // Enough for the shapes of fields.ts (codes of upper-case letters); others need a sample by hand.
    const pattern = new RegExp(schema.pattern);
    const fit = Array.from({ length: 8 }, (_, n) => 'A'.repeat(n + 1)).find((s) => pattern.test(s));
    if (fit) return fit;
    throw new Error(`no sample for the pattern ${schema.pattern}`);
  }
  return 'x'.repeat(Math.max(1, Number(schema.minLength ?? 1)));
}

function sampleOf(schema: JsonSchema): unknown {
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (Array.isArray(schema.anyOf)) return sampleOf(schema.anyOf[0] as JsonSchema);
  switch (schema.type) {
    case 'string':
      return sampleString(schema);
    case 'integer':
    case 'number':
      return Math.max(1, Number(schema.minimum ?? 1));
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: Math.max(1, Number(schema.minItems ?? 1)) }, () =>
        sampleOf((schema.items ?? {}) as JsonSchema),
      );
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      return Object.fromEntries(
        Object.entries(properties).map(([name, property]) => [name, sampleOf(property)]),
      );
    }
    default:
      throw new Error(`no sample for ${JSON.stringify(schema)}`);
  }
}

/**
 * A valid payload of any message schema, every field filled, optional ones
 * too, so tests can loop over the whole catalog, messages added later included.
 */
export function samplePayload(schema: z.ZodType): Record<string, unknown> {
  const sample = sampleOf(z.toJSONSchema(schema, { io: 'input' }) as JsonSchema);
  const checked = schema.safeParse(sample);
  if (!checked.success) throw new Error(`the sample does not fit: ${checked.error.message}`);
  return sample as Record<string, unknown>;
}
