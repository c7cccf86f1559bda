import type { DocumentationSources } from './sources.js';

/** Sources shaped like the platform's, for tests that must not depend on the transport. */
export function someDocumentationSources(
  overrides: Partial<DocumentationSources> = {},
): DocumentationSources {
  return {
    title: 'platform messages',
    version: '1.0.0',
    streams: [
      {
        name: 'COMMANDS',
        subjects: ['cmd.>'],
        retention: 'workqueue',
        storage: 'file',
        purpose: 'commands',
      },
      {
        name: 'EVENTS',
        subjects: ['evt.>'],
        retention: 'limits',
        storage: 'file',
        maxAgeMs: 604_800_000,
        purpose: 'events',
      },
      {
        name: 'DEADLETTERS',
        subjects: ['dlq.>'],
        retention: 'limits',
        storage: 'file',
        purpose: 'parked',
      },
    ],
    headers: {
      MessageId: 'Nats-Msg-Id',
      MessageType: 'message-type',
      CorrelationId: 'correlation-id',
      CausationId: 'causation-id',
      TraceParent: 'traceparent',
    },
    deadLetterHeaders: {
      Reason: 'dead-letter-reason',
      Consumer: 'dead-letter-consumer',
      Subject: 'dead-letter-subject',
      MessageId: 'dead-letter-message-id',
      Deliveries: 'dead-letter-deliveries',
      StreamSequence: 'dead-letter-stream-sequence',
    },
    servers: {
      local: { host: '127.0.0.1:4222', description: 'local' },
      compose: { host: 'nats:4222', description: 'compose', appUsers: true },
    },
    consumerOf: (app, message) => `${app}-${message.name}`,
    ...overrides,
  };
}
