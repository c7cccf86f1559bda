import {
  catalog,
  deadLetterSubject,
  Header,
  MESSAGE_HEADERS,
  originsOf,
  recipientsOf,
  type MessageDefinition,
  versionsOf,
} from '@app/contracts';
import { GENERATED_NOTICE } from './document.js';
import { code, table } from './markdown.js';
import { payloadSchema } from './payload-schema.js';
import { fieldRows } from './schema-fields.js';

function deadLetters(message: MessageDefinition): string {
  return recipientsOf(message)
    .map((app) => code(deadLetterSubject(app, message)))
    .join(', ');
}

function versionLine(message: MessageDefinition): string {
  const reads = versionsOf(message).map(({ version }) => version);
  const read =
    reads.length > 1
      ? ` Consumers also read ${reads.slice(0, -1).join(', ')}, upcast to ${message.version}.`
      : '';
  const sent =
    message.sends === message.version
      ? `producers send it.`
      : `producers still send version ${message.sends}, whose fields are below.`;
  return `Version ${message.version}: ${sent}${read}`;
}

function messageSection(message: MessageDefinition): string[] {
  const fields = fieldRows(payloadSchema(message)).map((field) => [
    code(field.path),
    field.type,
    field.required ? 'yes' : 'no',
  ]);
  return [
    `## ${message.name}`,
    '',
    `${message.kind === 'command' ? 'Command' : 'Event'} on ${code(message.subject)}, from ${originsOf(message).join(', ')} to ${recipientsOf(message).join(', ')}; dead letters on ${deadLetters(message)}.`,
    '',
    versionLine(message),
    '',
    ...table(['field', 'type', 'required'], fields),
    '',
  ];
}

/** The catalog as one page: an overview table, then each message's fields. */
export function messageCatalogMarkdown(): string {
  const everyMessageCarries = MESSAGE_HEADERS.map(code);
  const overview = catalog.map((message) => [
    `[${message.name}](#${message.name.toLowerCase()})`,
    message.kind,
    code(message.subject),
    String(message.sends),
    originsOf(message).join(', '),
    recipientsOf(message).join(', '),
  ]);
  return [
    '# Message catalog',
    '',
    `<!-- ${GENERATED_NOTICE} -->`,
    '',
    `Every message of the platform, from \`libs/contracts\`. Each carries the headers ${everyMessageCarries.join(', ')}; its body is the UTF-8 JSON of the fields below. A producer may send no other field; a consumer ignores fields it does not know, so a newer producer's optional field reaches an older consumer harmlessly. The version is the one producers send, in the \`${Header.MessageVersion}\` header (see [evolving messages](evolving-messages.md)). Money is an integer number of minor units (cents) of the message's \`currency\`. The same facts, machine-readable: [asyncapi.yaml](asyncapi.yaml).`,
    '',
    ...table(['message', 'kind', 'subject', 'version', 'sent by', 'received by'], overview),
    '',
    ...catalog.flatMap(messageSection),
  ].join('\n');
}
