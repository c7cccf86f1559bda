import {
  catalog,
  consumerName,
  deadLetterSubject,
  participantNames,
  sentBy,
  subscribedBy,
  type MessageDefinition,
} from '@app/contracts';
import { deadLetterMessageName } from './channels.js';

export interface OperationEntry {
  readonly id: string;
  readonly app: string;
  readonly action: 'send' | 'receive';
  readonly channel: string;
  readonly componentMessage: string;
  readonly summary: string;
  /** The durable consumer a receiving app reads through. */
  readonly consumer?: string;
}

/** What an app puts on the wire: the commands it sends and the events it publishes. */
export function emittedBy(app: string): MessageDefinition[] {
  const published = catalog.filter((message) => message.kind === 'event' && message.app === app);
  return [...sentBy(app), ...published];
}

/** What an app takes off the wire: the commands it receives and the events it subscribes to. */
export function receivedBy(app: string): MessageDefinition[] {
  const commands = catalog.filter((message) => message.kind === 'command' && message.app === app);
  return [...commands, ...subscribedBy(app)];
}

/** Every app's operations, derived from the catalog and its participants. */
export function allOperations(): OperationEntry[] {
  return participantNames().flatMap((app) => [
    ...emittedBy(app).map((message): OperationEntry => ({
      id: `${app}.send.${message.name}`,
      app,
      action: 'send',
      channel: message.subject,
      componentMessage: message.name,
      summary: `${app} ${message.kind === 'command' ? 'sends' : 'publishes'} ${message.name} through its outbox.`,
    })),
    ...receivedBy(app).map((message): OperationEntry => ({
      id: `${app}.receive.${message.name}`,
      app,
      action: 'receive',
      channel: message.subject,
      componentMessage: message.name,
      summary: `${app} handles ${message.name}, once per message, in its inbox's transaction.`,
      consumer: consumerName(app, message),
    })),
    ...receivedBy(app).map((message): OperationEntry => ({
      id: `${app}.deadLetter.${message.name}`,
      app,
      action: 'send',
      channel: deadLetterSubject(app, message),
      componentMessage: deadLetterMessageName(message),
      summary: `${app} parks a ${message.name} it gave up on.`,
    })),
  ]);
}
