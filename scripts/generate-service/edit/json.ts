import { GeneratorError } from '../names.js';

export type JsonObject = Record<string, unknown>;

export function parseJsonObject(path: string, text: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new GeneratorError(`${path}: not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new GeneratorError(`${path}: not a JSON object`);
  return value as JsonObject;
}

/** The object with `key` added right after `after` (at the end when absent): key order is kept. */
export function withKeyAfter(
  object: JsonObject,
  after: string | undefined,
  key: string,
  value: unknown,
): JsonObject {
  const entries = Object.entries(object);
  const index = entries.findIndex(([name]) => name === after);
  entries.splice(index === -1 ? entries.length : index + 1, 0, [key, value]);
  return Object.fromEntries(entries);
}

export function stringifyJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
