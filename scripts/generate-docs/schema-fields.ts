import type { JsonSchema } from './payload-schema.js';

/** One field of a message body, nested fields flattened: `address.city`, `items[].sku`. */
export interface FieldRow {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
}

/** zod bounds every integer to the safe range; saying so on each field is noise. */
function bound(value: unknown): number | undefined {
  if (typeof value !== 'number' || Math.abs(value) === Number.MAX_SAFE_INTEGER) return undefined;
  return value;
}

function range(minimum: unknown, maximum: unknown, unit: string): string {
  const [min, max] = [bound(minimum), bound(maximum)];
  if (typeof min === 'number' && typeof max === 'number') return `${min}–${max}${unit}`;
  if (typeof min === 'number') return `≥ ${min}${unit}`;
  if (typeof max === 'number') return `≤ ${max}${unit}`;
  return '';
}

function withDetail(name: string, detail: string): string {
  return detail ? `${name}, ${detail}` : name;
}

/** A schema's type in a few words: `uuid`, `integer, ≥ 0`, `string, 1–64 chars`, `string /^[A-Z]{3}$/`. */
export function describeType(schema: JsonSchema): string {
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum))
    return schema.enum.map((value) => JSON.stringify(value)).join(' \\| ');
  switch (schema.type) {
    case 'string':
      if (typeof schema.format === 'string') return schema.format;
      if (typeof schema.pattern === 'string') return `string \`/${schema.pattern}/\``;
      return withDetail('string', range(schema.minLength, schema.maxLength, ' chars'));
    case 'integer':
    case 'number':
      return withDetail(schema.type, range(schema.minimum, schema.maximum, ''));
    case 'boolean':
      return 'boolean';
    case 'array': {
      const items = (schema.items ?? {}) as JsonSchema;
      const of = items.type === 'object' ? 'objects' : describeType(items);
      return withDetail(`array of ${of}`, range(schema.minItems, schema.maxItems, ' items'));
    }
    case 'object':
      return 'object';
    default:
      return JSON.stringify(schema);
  }
}

/** Every field of an object schema, depth first, in declaration order. */
export function fieldRows(schema: JsonSchema, prefix = ''): FieldRow[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).flatMap(([name, property]) => {
    const path = `${prefix}${name}`;
    // A consumer fills a field left out with its default: the reader of the catalog must know it.
    const fallback = 'default' in property ? `; default ${JSON.stringify(property.default)}` : '';
    const type = `${describeType(property)}${fallback}`;
    const row: FieldRow = { path, type, required: required.has(name) };
    if (property.type === 'object') return [row, ...fieldRows(property, `${path}.`)];
    const items = property.items as JsonSchema | undefined;
    if (property.type === 'array' && items?.type === 'object') {
      return [row, ...fieldRows(items, `${path}[].`)];
    }
    return [row];
  });
}
