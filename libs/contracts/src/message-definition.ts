import type { z } from 'zod';

export type MessageKind = 'command' | 'event';

/**
 * One message of the catalog. `app` is the receiving app of a command and the
 * publishing app of an event; the subject is derived from it, never spelled.
 */
export interface MessageDefinition<TPayload = unknown> {
  readonly kind: MessageKind;
  readonly app: string;
  readonly name: string;
  readonly subject: string;
  readonly schema: z.ZodType<TPayload>;
}

export type PayloadOf<D> = D extends MessageDefinition<infer P> ? P : never;

export const COMMAND_SUBJECT_PREFIX = 'cmd';
export const EVENT_SUBJECT_PREFIX = 'evt';
export const DEAD_LETTER_SUBJECT_PREFIX = 'dlq';

/** Everything a stream or a wildcard subscription needs to match. */
export const ALL_COMMANDS = `${COMMAND_SUBJECT_PREFIX}.>`;
export const ALL_EVENTS = `${EVENT_SUBJECT_PREFIX}.>`;
export const ALL_DEAD_LETTERS = `${DEAD_LETTER_SUBJECT_PREFIX}.>`;

const TOKEN = /^[A-Za-z][A-Za-z0-9-]*$/;

function define<TPayload>(
  kind: MessageKind,
  app: string,
  name: string,
  schema: z.ZodType<TPayload>,
): MessageDefinition<TPayload> {
  if (!TOKEN.test(app) || !TOKEN.test(name)) {
    throw new Error(`"${app}" and "${name}" must be plain subject tokens`);
  }
  const prefix = kind === 'command' ? COMMAND_SUBJECT_PREFIX : EVENT_SUBJECT_PREFIX;
  return Object.freeze({ kind, app, name, subject: `${prefix}.${app}.${name}`, schema });
}

/** A command is imperative and has exactly one receiving app. */
export function defineCommand<TPayload>(
  receiver: string,
  name: string,
  schema: z.ZodType<TPayload>,
): MessageDefinition<TPayload> {
  return define('command', receiver, name, schema);
}

/** An event is a fact published by one app, for any number of subscribers. */
export function defineEvent<TPayload>(
  publisher: string,
  name: string,
  schema: z.ZodType<TPayload>,
): MessageDefinition<TPayload> {
  return define('event', publisher, name, schema);
}

/** Where a consumer's failed messages are kept: one subject per (app, message). */
export function deadLetterSubject(consumerApp: string, message: MessageDefinition): string {
  return `${DEAD_LETTER_SUBJECT_PREFIX}.${consumerApp}.${message.name}`;
}

export function deadLetterSubjectsOf(consumerApp: string): string {
  return `${DEAD_LETTER_SUBJECT_PREFIX}.${consumerApp}.>`;
}
