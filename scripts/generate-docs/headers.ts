import { DeadLetterHeader, Header, MESSAGE_HEADERS, TRACEPARENT_PATTERN } from '@app/contracts';

type JsonSchema = Record<string, unknown>;

const uuid: JsonSchema = { type: 'string', format: 'uuid' };

/** The headers every message is published with; `message-type` is pinned per message. */
export function messageHeadersSchema(messageNames: readonly string[]) {
  return {
    type: 'object',
    required: [...MESSAGE_HEADERS],
    properties: {
      [Header.MessageId]: {
        ...uuid,
        description:
          "The message's own unique id. JetStream drops a re-publication with the same id within the stream's duplicate window; each consumer's inbox records it so a redelivery has no second effect. A message without it is dead-lettered at once.",
      },
      [Header.MessageType]: {
        type: 'string',
        enum: [...messageNames],
        description:
          'The command or event name, the last token of the subject. A message whose type does not match its subject is dead-lettered at once.',
      },
      [Header.CorrelationId]: {
        ...uuid,
        description:
          'The id of the order the message belongs to. A message without it, or with one that is not a UUID, is dead-lettered at once.',
      },
      [Header.CausationId]: {
        type: 'string',
        description: 'The id of the message, or of the HTTP request, that caused this one.',
      },
      [Header.TraceParent]: {
        type: 'string',
        pattern: TRACEPARENT_PATTERN,
        description:
          'W3C trace context: a message continues the trace of what caused it, so one trace follows a request through every app.',
      },
    },
  };
}

/** The headers of one message: the common ones, with `message-type` fixed to its name. */
export function headersOf(messageName: string) {
  return {
    allOf: [
      { $ref: '#/components/schemas/MessageHeaders' },
      { type: 'object', properties: { [Header.MessageType]: { const: messageName } } },
    ],
  };
}

/** A dead letter keeps the original headers (its id moves to `dead-letter-message-id`) and says why it failed. */
export function deadLetterHeadersSchema() {
  return {
    type: 'object',
    description: `Besides these, the headers the original carried, except its ${Header.MessageId}: a dead letter has its own.`,
    required: Object.values(DeadLetterHeader),
    properties: {
      [DeadLetterHeader.Reason]: {
        type: 'string',
        description: 'Why the consumer gave up: the last error.',
      },
      [DeadLetterHeader.Consumer]: {
        type: 'string',
        description: 'The durable consumer that gave up, `<app>-<MessageName>`.',
      },
      [DeadLetterHeader.Subject]: {
        type: 'string',
        description: 'The subject the message was read from.',
      },
      [DeadLetterHeader.MessageId]: {
        type: 'string',
        description: `The ${Header.MessageId} of the original message. A replay keeps it, so an inbox that handled the message does nothing.`,
      },
      [DeadLetterHeader.Deliveries]: {
        type: 'string',
        pattern: '^[0-9]+$',
        description: 'How many times the message was delivered before it was parked.',
      },
      [DeadLetterHeader.StreamSequence]: {
        type: 'string',
        pattern: '^[0-9]+$',
        description: "The original message's sequence in its stream.",
      },
    },
  };
}
