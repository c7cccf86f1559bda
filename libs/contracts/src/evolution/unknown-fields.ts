import { z } from 'zod';

/** What an object schema does with a field it does not declare. */
export type UnknownFields = 'strip' | 'reject';

interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly catchall?: z.ZodType;
  readonly element?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
}

const WRAPPERS = new Set([
  'optional',
  'nullable',
  'default',
  'prefault',
  'nonoptional',
  'readonly',
  'catch',
]);

/**
 * The same schema with every object in it, however deep, set to strip or to
 * reject fields it does not declare. An object that accepts any field
 * (`z.looseObject`, `.catchall(...)`) keeps doing so. Checks and defaults are
 * kept: each node is cloned with its definition, only the children changed.
 */
export function withUnknownFields<T extends z.ZodType>(schema: T, mode: UnknownFields): T {
  return reshape(schema, mode) as T;
}

function reshape(schema: z.ZodType, mode: UnknownFields): z.ZodType {
  const def = schema.def as unknown as Def;
  const clone = (changes: Partial<Def>) => {
    // Descriptors, not values: a default given as a function must stay one.
    const definition = Object.defineProperties(
      {},
      {
        ...Object.getOwnPropertyDescriptors(schema.def),
        ...Object.getOwnPropertyDescriptors(changes),
      },
    ) as typeof schema.def;
    const copy = schema.clone(definition);
    // A description or other metadata belongs to the instance: the copy keeps it for the documents.
    const meta = z.globalRegistry.get(schema);
    if (meta) z.globalRegistry.add(copy, meta);
    return copy;
  };
  if (def.type === 'object' && def.shape) {
    const shape = Object.fromEntries(
      Object.entries(def.shape).map(([key, field]) => [key, reshape(field, mode)]),
    );
    const declaresOthers = def.catchall && def.catchall.def.type !== 'never';
    if (declaresOthers) return clone({ shape });
    return clone({ shape, catchall: mode === 'reject' ? z.never() : undefined });
  }
  if (def.type === 'array' && def.element) return clone({ element: reshape(def.element, mode) });
  if (WRAPPERS.has(def.type) && def.innerType) {
    return clone({ innerType: reshape(def.innerType, mode) });
  }
  if (def.type === 'union' && def.options) {
    return clone({ options: def.options.map((option) => reshape(option, mode)) });
  }
  return schema;
}
