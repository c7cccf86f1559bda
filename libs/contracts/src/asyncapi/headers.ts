import type { DeadLetterHeaderNames, MessageHeaderNames } from './sources.js';

type JsonSchema = Record<string, unknown>;

const uuid: JsonSchema = { type: 'string', format: 'uuid' };

/** The headers of spec section 2, the same on every message; `message-type` is pinned per message. */
export function messageHeadersSchema(names: MessageHeaderNames, messageNames: readonly string[]) {
  return {
    type: 'object',
    required: [
      names.MessageId,
      names.MessageType,
      names.CorrelationId,
      names.CausationId,
      names.TraceParent,
    ],
    properties: {
      [names.MessageId]: {
        ...uuid,
        description:
          "The message's own unique id. JetStream drops a re-publication with the same id within the stream's duplicate window; each consumer's inbox records it so a redelivery has no second effect. A message without it is dead-lettered at once.",
      },
      [names.MessageType]: {
        type: 'string',
        enum: [...messageNames],
        description:
          'The command or event name, the last token of the subject. A message whose type does not match its subject is dead-lettered at once.',
      },
      [names.CorrelationId]: {
        ...uuid,
        description:
          'The id of the order the message belongs to. A message without it, or with one that is not a UUID, is dead-lettered at once.',
      },
      [names.CausationId]: {
        type: 'string',
        description: 'The id of the message, or of the HTTP request, that caused this one.',
      },
      [names.TraceParent]: {
        type: 'string',
        pattern: '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
        description:
          'W3C trace context: a message continues the trace of what caused it, so one trace follows a request through every app.',
      },
    },
  };
}

/** The headers of one message: the common ones, with `message-type` fixed to its name. */
export function headersOf(messageName: string, names: MessageHeaderNames) {
  return {
    allOf: [
      { $ref: '#/components/schemas/MessageHeaders' },
      { type: 'object', properties: { [names.MessageType]: { const: messageName } } },
    ],
  };
}

/** A dead letter keeps the original headers (its id moves to `dead-letter-message-id`) and says why it failed. */
export function deadLetterHeadersSchema(names: DeadLetterHeaderNames) {
  return {
    type: 'object',
    description:
      'Besides these, the headers the original carried, except its Nats-Msg-Id: a dead letter has its own.',
    required: Object.values(names),
    properties: {
      [names.Reason]: { type: 'string', description: 'Why the consumer gave up: the last error.' },
      [names.Consumer]: {
        type: 'string',
        description: 'The durable consumer that gave up, `<app>-<MessageName>`.',
      },
      [names.Subject]: { type: 'string', description: 'The subject the message was read from.' },
      [names.MessageId]: {
        type: 'string',
        description:
          'The Nats-Msg-Id of the original message. A replay keeps it, so an inbox that handled the message does nothing.',
      },
      [names.Deliveries]: {
        type: 'string',
        pattern: '^[0-9]+$',
        description: 'How many times the message was delivered before it was parked.',
      },
      [names.StreamSequence]: {
        type: 'string',
        pattern: '^[0-9]+$',
        description: "The original message's sequence in its stream.",
      },
    },
  };
}
