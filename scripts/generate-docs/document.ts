import { catalog, Header, originsOf, recipientsOf, streams, versionsOf } from '@app/contracts';
import { allChannels, deadLetterMessageName } from './channels.js';
import { deadLetterHeadersSchema, headersOf, messageHeadersSchema } from './headers.js';
import { allOperations } from './operations.js';
import { payloadSchema } from './payload-schema.js';
import type { DocumentationSources } from './sources.js';
import { humanDuration, streamExtension } from './streams.js';

export const GENERATED_NOTICE =
  'Generated from libs/contracts by `npm run docs:generate`; edit the catalog, not this file.';

function description(): string {
  const streamLines = streams.map((stream) => {
    const age = stream.maxAgeMs ? `, kept ${humanDuration(stream.maxAgeMs)}` : '';
    return `- \`${stream.name}\` (\`${stream.subjects.join('`, `')}\`, ${stream.retention} retention${age}): ${stream.purpose}`;
  });
  return [
    'Every command, event and dead letter of the platform, on NATS JetStream.',
    'Commands (`cmd.<receiving-app>.<Name>`) go to exactly one replica of their one receiving app; events (`evt.<publishing-app>.<Name>`) go to every subscribing app; dead letters (`dlq.<app>.<Name>`) are the messages an app gave up on.',
    'The body is the UTF-8 JSON of the payload: money in integer minor units with an ISO 4217 currency, UUID ids, ISO 8601 UTC times.',
    'Each message carries the version of its contract in `message-version` (absent: 1); `x-message-version` says which version its producers send and which its consumers read. Producers send no field outside the payload schema; consumers ignore fields they do not know.',
    '',
    'Streams:',
    ...streamLines,
    '',
    GENERATED_NOTICE,
  ].join('\n');
}

function messageComponents() {
  return Object.fromEntries(
    catalog.flatMap((message) => [
      [
        message.name,
        {
          name: message.name,
          title: message.name,
          summary: `${message.kind === 'command' ? 'Command' : 'Event'} from ${originsOf(message).join(', ')} to ${recipientsOf(message).join(', ')}.`,
          contentType: 'application/json',
          correlationId: { $ref: '#/components/correlationIds/orderId' },
          headers: { $ref: `#/components/schemas/${message.name}Headers` },
          payload: { $ref: `#/components/schemas/${message.name}` },
          'x-message-version': {
            sends: message.sends,
            current: message.version,
            reads: versionsOf(message).map(({ version }) => version),
          },
        },
      ],
      [
        deadLetterMessageName(message),
        {
          name: deadLetterMessageName(message),
          title: `${message.name} dead letter`,
          summary: `A ${message.name} its consumer gave up on, with why.`,
          contentType: 'application/json',
          headers: { $ref: '#/components/schemas/DeadLetterHeaders' },
          payload: {
            description: `The original body, byte for byte. It may not be a valid ${message.name}: that can be why it is here.`,
          },
        },
      ],
    ]),
  );
}

function schemaComponents() {
  const names = catalog.map((message) => message.name);
  return {
    MessageHeaders: messageHeadersSchema(names),
    DeadLetterHeaders: deadLetterHeadersSchema(),
    ...Object.fromEntries(
      catalog.flatMap((message) => [
        [`${message.name}Headers`, headersOf(message.name, message.sends)],
        [message.name, payloadSchema(message)],
      ]),
    ),
  };
}

/** The AsyncAPI 3.0 document of every stream, subject, message and header. */
export function asyncApiDocument(sources: DocumentationSources): Record<string, unknown> {
  return {
    asyncapi: '3.0.0',
    info: { title: sources.title, version: sources.version, description: description() },
    defaultContentType: 'application/json',
    'x-jetstream-streams': streams.map(streamExtension),
    servers: Object.fromEntries(
      Object.entries(sources.servers).map(([id, server]) => [
        id,
        {
          host: server.host,
          protocol: 'nats',
          description: server.description,
          ...(server.appUsers
            ? { security: [{ $ref: '#/components/securitySchemes/appUser' }] }
            : {}),
        },
      ]),
    ),
    channels: Object.fromEntries(
      allChannels().map((channel) => [
        channel.id,
        {
          address: channel.id,
          description: channel.description,
          messages: {
            [channel.componentMessage]: {
              $ref: `#/components/messages/${channel.componentMessage}`,
            },
          },
          'x-jetstream-stream': channel.stream,
        },
      ]),
    ),
    operations: Object.fromEntries(
      allOperations().map((operation) => [
        operation.id,
        {
          action: operation.action,
          channel: { $ref: `#/channels/${operation.channel}` },
          summary: operation.summary,
          messages: [
            { $ref: `#/channels/${operation.channel}/messages/${operation.componentMessage}` },
          ],
          ...(operation.consumer ? { 'x-jetstream-consumer': operation.consumer } : {}),
        },
      ]),
    ),
    components: {
      securitySchemes: {
        appUser: {
          type: 'userPassword',
          description:
            'One NATS user per app (NATS_USER, NATS_PASSWORD), allowed to publish and subscribe only to the subjects of the operations above.',
        },
      },
      correlationIds: {
        orderId: {
          description: 'The order the message belongs to.',
          location: `$message.header#/${Header.CorrelationId}`,
        },
      },
      schemas: schemaComponents(),
      messages: messageComponents(),
    },
  };
}
