import { DeadLetterHeader, Header, MESSAGE_HEADERS, TRACEPARENT_PATTERN } from '@app/contracts';

type JsonSchema = Record<string, unknown>;

const uuid: JsonSchema = { type: 'string', format: 'uuid' };

/** What each header of a message means, and what a receiver does without it. */
export const messageHeaderMeanings: Readonly<Record<(typeof MESSAGE_HEADERS)[number], string>> = {
  [Header.MessageId]:
    "The message's own unique id. JetStream drops a re-publication with the same id within the stream's duplicate window; each consumer's inbox records it so a redelivery has no second effect. A message without it is dead-lettered at once.",
  [Header.MessageType]:
    'The command or event name, the last token of the subject. A message whose type does not match its subject is dead-lettered at once.',
  [Header.MessageVersion]:
    "The version of the message's contract the body follows, a positive integer; a message without it is version 1. A consumer upcasts an older version it still reads; a newer one is handed back for a newer replica, then dead-lettered with why, to replay after the upgrade. See evolving-messages.md.",
  [Header.CorrelationId]:
    'The id of the order the message belongs to. A message without it, or with one that is not a UUID, is dead-lettered at once.',
  [Header.CausationId]: 'The id of the message, or of the HTTP request, that caused this one.',
  [Header.TraceParent]:
    'W3C trace context: a message continues the trace of what caused it, so one trace follows a request through every app.',
};

/** The headers every message is published with; `message-type` is pinned per message. */
export function messageHeadersSchema(messageNames: readonly string[]) {
  return {
    type: 'object',
    required: [...MESSAGE_HEADERS],
    properties: {
      [Header.MessageId]: { ...uuid, description: messageHeaderMeanings[Header.MessageId] },
      [Header.MessageType]: {
        type: 'string',
        enum: [...messageNames],
        description: messageHeaderMeanings[Header.MessageType],
      },
      [Header.MessageVersion]: {
        type: 'string',
        pattern: '^[1-9][0-9]*$',
        description: messageHeaderMeanings[Header.MessageVersion],
      },
      [Header.CorrelationId]: {
        ...uuid,
        description: messageHeaderMeanings[Header.CorrelationId],
      },
      [Header.CausationId]: {
        type: 'string',
        description: messageHeaderMeanings[Header.CausationId],
      },
      [Header.TraceParent]: {
        type: 'string',
        pattern: TRACEPARENT_PATTERN,
        description: messageHeaderMeanings[Header.TraceParent],
      },
    },
  };
}

/**
 * The headers of one message: the common ones, with `message-type` fixed to
 * its name and `message-version` to the version its producers send.
 */
export function headersOf(messageName: string, sentVersion: number) {
  return {
    allOf: [
      { $ref: '#/components/schemas/MessageHeaders' },
      {
        type: 'object',
        properties: {
          [Header.MessageType]: { const: messageName },
          [Header.MessageVersion]: { const: String(sentVersion) },
        },
      },
    ],
  };
}

/** What each header a dead letter adds means. */
export const deadLetterHeaderMeanings: Readonly<
  Record<(typeof DeadLetterHeader)[keyof typeof DeadLetterHeader], string>
> = {
  [DeadLetterHeader.Reason]: 'Why the consumer gave up: the last error.',
  [DeadLetterHeader.Consumer]: 'The durable consumer that gave up, `<app>-<MessageName>`.',
  [DeadLetterHeader.Subject]: 'The subject the message was read from.',
  [DeadLetterHeader.MessageId]: `The ${Header.MessageId} of the original message. A replay keeps it, so an inbox that handled the message does nothing.`,
  [DeadLetterHeader.Deliveries]: 'How many times the message was delivered before it was parked.',
  [DeadLetterHeader.StreamSequence]: "The original message's sequence in its stream.",
  [DeadLetterHeader.BodyLeftOut]:
    "Set when the body did not fit beside these headers within the server's max_payload: its size in bytes. The letter keeps its reason and cannot be replayed.",
};

/** A dead letter keeps the original headers (its id moves to `dead-letter-message-id`) and says why it failed. */
export function deadLetterHeadersSchema() {
  const text = (name: keyof typeof deadLetterHeaderMeanings) => ({
    type: 'string',
    description: deadLetterHeaderMeanings[name],
  });
  const count = (name: keyof typeof deadLetterHeaderMeanings) => ({
    type: 'string',
    pattern: '^[0-9]+$',
    description: deadLetterHeaderMeanings[name],
  });
  return {
    type: 'object',
    description: `Besides these, the headers the original carried, except its ${Header.MessageId}: a dead letter has its own.`,
    required: Object.values(DeadLetterHeader),
    properties: {
      [DeadLetterHeader.Reason]: text(DeadLetterHeader.Reason),
      [DeadLetterHeader.Consumer]: text(DeadLetterHeader.Consumer),
      [DeadLetterHeader.Subject]: text(DeadLetterHeader.Subject),
      [DeadLetterHeader.MessageId]: text(DeadLetterHeader.MessageId),
      [DeadLetterHeader.Deliveries]: count(DeadLetterHeader.Deliveries),
      [DeadLetterHeader.StreamSequence]: count(DeadLetterHeader.StreamSequence),
    },
  };
}
