import type { z } from 'zod';

export type MessageKind = 'command' | 'event';

/**
 * A version of a message that consumers still read, and how its payload
 * becomes the next version's. Declared by the message's definition, which
 * every receiving app builds with, so the handler sees the current shape only.
 */
export interface PastVersion<TOld = unknown, TNext = unknown> {
  readonly version: number;
  readonly schema: z.ZodType<TOld>;
  // A method, so a version of any payload is a PastVersion: upcasting is checked at run time.
  upcast(payload: TOld): TNext;
}

/** How a message has evolved; absent, it is at version 1 and sends it. */
export interface Evolution<TSent> {
  /** The current version: the shape `schema` describes and handlers see. */
  readonly version: number;
  /** Every earlier version consumers still read, oldest first, up to `version - 1`. */
  readonly past?: readonly PastVersion[];
  /**
   * Producers publish this past version while consumers are upgraded to the
   * current one; absent, they publish the current one. See docs/evolving-messages.md.
   */
  readonly sends?: PastVersion<TSent>;
}

/**
 * One message of the catalog. `app` is the receiving app of a command and the
 * publishing app of an event; the subject is derived from it, never spelled.
 * `schema` is the contract as written: a producer may send nothing outside
 * it, while a consumer ignores fields it does not know (see payload.ts).
 */
export interface MessageDefinition<TPayload = unknown, TSent = TPayload> {
  readonly kind: MessageKind;
  readonly app: string;
  readonly name: string;
  readonly subject: string;
  readonly schema: z.ZodType<TPayload>;
  readonly version: number;
  readonly past: readonly PastVersion[];
  /** The version producers put on the wire, in the `message-version` header. */
  readonly sends: number;
  /** The schema of the version producers send. */
  readonly sentSchema: z.ZodType<TSent>;
}

/** What a handler receives: the current version. */
export type PayloadOf<D> = D extends MessageDefinition<infer P, infer _S> ? P : never;
/** What a producer records: the version it sends. */
export type SentPayloadOf<D> = D extends MessageDefinition<infer _P, infer S> ? S : never;

export const COMMAND_SUBJECT_PREFIX = 'cmd';
export const EVENT_SUBJECT_PREFIX = 'evt';
export const DEAD_LETTER_SUBJECT_PREFIX = 'dlq';

/** Everything a stream or a wildcard subscription needs to match. */
export const ALL_COMMANDS = `${COMMAND_SUBJECT_PREFIX}.>`;
export const ALL_EVENTS = `${EVENT_SUBJECT_PREFIX}.>`;
export const ALL_DEAD_LETTERS = `${DEAD_LETTER_SUBJECT_PREFIX}.>`;

const TOKEN = /^[A-Za-z][A-Za-z0-9-]*$/;

/** A version consumers still read: its schema, and how it becomes the next version. */
export function pastVersion<TOld, TNext>(
  version: number,
  schema: z.ZodType<TOld>,
  upcast: (payload: TOld) => TNext,
): PastVersion<TOld, TNext> {
  return Object.freeze({ version, schema, upcast });
}

function checkVersions(name: string, evolution: Evolution<unknown>): void {
  const { version, past = [], sends } = evolution;
  if (!Number.isInteger(version) || version < 1) {
    throw new Error(`${name}: version ${version} is not a positive integer`);
  }
  const first = version - past.length;
  past.forEach((old, index) => {
    if (old.version !== first + index) {
      throw new Error(
        `${name}: past versions must run oldest first up to ${version - 1}, found ${old.version} at ${index}`,
      );
    }
  });
  if (first < 1) throw new Error(`${name}: past versions must start at 1 or later`);
  if (sends && !past.includes(sends)) {
    throw new Error(`${name}: it can only send a version it declares`);
  }
}

function define<TPayload, TSent>(
  kind: MessageKind,
  app: string,
  name: string,
  schema: z.ZodType<TPayload>,
  evolution: Evolution<TSent> = { version: 1 },
): MessageDefinition<TPayload, TSent> {
  if (!TOKEN.test(app) || !TOKEN.test(name)) {
    throw new Error(`"${app}" and "${name}" must be plain subject tokens`);
  }
  checkVersions(name, evolution);
  const prefix = kind === 'command' ? COMMAND_SUBJECT_PREFIX : EVENT_SUBJECT_PREFIX;
  return Object.freeze({
    kind,
    app,
    name,
    subject: `${prefix}.${app}.${name}`,
    schema,
    version: evolution.version,
    past: Object.freeze([...(evolution.past ?? [])]),
    sends: evolution.sends?.version ?? evolution.version,
    // Without `sends`, TSent is TPayload: producers send the current version.
    sentSchema: (evolution.sends?.schema ?? schema) as z.ZodType<TSent>,
  });
}

/** A command is imperative and has exactly one receiving app. */
export function defineCommand<TPayload, TSent = TPayload>(
  receiver: string,
  name: string,
  schema: z.ZodType<TPayload>,
  evolution?: Evolution<TSent>,
): MessageDefinition<TPayload, TSent> {
  return define('command', receiver, name, schema, evolution);
}

/** An event is a fact published by one app, for any number of subscribers. */
export function defineEvent<TPayload, TSent = TPayload>(
  publisher: string,
  name: string,
  schema: z.ZodType<TPayload>,
  evolution?: Evolution<TSent>,
): MessageDefinition<TPayload, TSent> {
  return define('event', publisher, name, schema, evolution);
}

/** Every version consumers of a message read, oldest first: its past ones, then the current. */
export function versionsOf(message: MessageDefinition): { version: number; schema: z.ZodType }[] {
  return [
    ...message.past.map(({ version, schema }) => ({ version, schema })),
    { version: message.version, schema: message.schema as z.ZodType },
  ];
}

/** Where a consumer's failed messages are kept: one subject per (app, message). */
export function deadLetterSubject(consumerApp: string, message: MessageDefinition): string {
  return `${DEAD_LETTER_SUBJECT_PREFIX}.${consumerApp}.${message.name}`;
}

export function deadLetterSubjectsOf(consumerApp: string): string {
  return `${DEAD_LETTER_SUBJECT_PREFIX}.${consumerApp}.>`;
}
