import type { z } from 'zod';
import { versionsOf, type MessageDefinition } from '../message-definition.js';
import { BENCH_ONLY_SKIP_VALIDATION, skipsValidation } from './bench-only.js';
import { withUnknownFields } from './unknown-fields.js';

/** What a consumer makes of a body: the current version's payload, or why it cannot. */
export type ReadPayload =
  | { readonly ok: true; readonly payload: unknown }
  | {
      readonly ok: false;
      readonly reason: string;
      /** A version after the consumer's own: a newer build of it can handle it. */
      readonly newerVersion: boolean;
    };

/** A payload a producer tried to send outside its message's contract. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

const unchecked = skipsValidation();
if (unchecked) {
  process.emitWarning(
    `${BENCH_ONLY_SKIP_VALIDATION}=1: messages are neither checked nor read by their schema`,
  );
}

const tolerantSchemas = new WeakMap<z.ZodType, z.ZodType>();
const strictSchemas = new WeakMap<z.ZodType, z.ZodType>();

function cached(cache: WeakMap<z.ZodType, z.ZodType>, schema: z.ZodType, make: () => z.ZodType) {
  let found = cache.get(schema);
  if (!found) cache.set(schema, (found = make()));
  return found;
}

/** A consumer's reading of a version: fields it does not know are dropped, not refused. */
function tolerant(schema: z.ZodType): z.ZodType {
  return cached(tolerantSchemas, schema, () => withUnknownFields(schema, 'strip'));
}

function strict(schema: z.ZodType): z.ZodType {
  return cached(strictSchemas, schema, () => withUnknownFields(schema, 'reject'));
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .flatMap((issue) => {
      // One entry per unknown field, named by its path, so the message says which.
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => `${[...issue.path, key].join('.')}: not in the contract`);
      }
      return [`${issue.path.join('.') || '(body)'}: ${issue.message}`];
    })
    .join('; ');
}

export function knownVersions(message: MessageDefinition): string {
  const versions = versionsOf(message);
  return `${versions[0]!.version}..${message.version}`;
}

/**
 * The payload a handler gets from a body of `version`: parsed by that version's
 * schema, tolerantly, then upcast version by version to the current shape.
 * A version after the current one is not guessed at: it waits for a consumer
 * that knows it (see the consumer worker).
 */
export function readPayload(
  message: MessageDefinition,
  version: number,
  body: unknown,
): ReadPayload {
  const refuse = (reason: string, newerVersion = false): ReadPayload => ({
    ok: false,
    reason,
    newerVersion,
  });
  const versions = versionsOf(message);
  if (version > message.version) {
    return refuse(
      `message-version ${version} of ${message.name} is newer than this consumer (knows ${knownVersions(message)}): replay after upgrading`,
      true,
    );
  }
  const declared = versions.find((candidate) => candidate.version === version);
  if (!declared) {
    return refuse(
      `message-version ${version} of ${message.name} is no longer read (knows ${knownVersions(message)})`,
    );
  }
  if (unchecked && version === message.version) return { ok: true, payload: body };
  const parsed = tolerant(declared.schema).safeParse(body);
  if (!parsed.success) return refuse(`schema violation: ${describeIssues(parsed.error)}`);
  if (version === message.version) return { ok: true, payload: parsed.data };

  let payload: unknown = parsed.data;
  try {
    for (const old of message.past) if (old.version >= version) payload = old.upcast(payload);
  } catch (error) {
    return refuse(`upcasting version ${version} failed: ${describe(error)}`);
  }
  const current = tolerant(message.schema).safeParse(payload);
  if (!current.success) {
    return refuse(
      `version ${version} upcast to ${message.version} breaks it: ${describeIssues(current.error)}`,
    );
  }
  return { ok: true, payload: current.data };
}

/**
 * The body a producer records: its payload checked strictly against the
 * version it sends, every object refusing a field its contract does not name.
 * Throws a ContractViolation naming the message and the fields.
 */
export function writePayload<S>(message: MessageDefinition<unknown, S>, payload: S): S {
  if (unchecked) return payload;
  const parsed = strict(message.sentSchema).safeParse(payload);
  if (!parsed.success) {
    throw new ContractViolation(
      `${message.name} (version ${message.sends}) cannot be sent: ${describeIssues(parsed.error)}`,
    );
  }
  return parsed.data as S;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
