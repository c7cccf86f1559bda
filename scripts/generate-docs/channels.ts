import { catalog, deadLetterSubject, recipientsOf, type MessageDefinition } from '@app/contracts';
import { streamStoring } from './streams.js';

/** A channel is one subject; its id is the subject itself. */
export interface ChannelEntry {
  readonly id: string;
  readonly message: MessageDefinition;
  /** The component message it carries: the message itself, or its dead letter. */
  readonly componentMessage: string;
  readonly stream: string;
  readonly description: string;
  /** The app whose consumer parks messages here, for a dead-letter channel. */
  readonly deadLetterOf?: string;
}

export function deadLetterMessageName(message: MessageDefinition): string {
  return `${message.name}DeadLetter`;
}

export function messageChannel(message: MessageDefinition) {
  const receivers = recipientsOf(message);
  const description =
    message.kind === 'command'
      ? `${message.name} commands for ${message.app}: each is handled by exactly one replica of ${message.app}, acknowledged once its work is committed, then deleted.`
      : `${message.name} events published by ${message.app}: every subscribing app (${receivers.join(', ')}) gets each one once, its replicas sharing the work.`;
  return {
    id: message.subject,
    message,
    componentMessage: message.name,
    stream: streamStoring(message.subject).name,
    description,
  } satisfies ChannelEntry;
}

/** One dead-letter subject per (receiving app, message): each app parks and replays its own. */
export function deadLetterChannels(message: MessageDefinition) {
  return recipientsOf(message).map((app): ChannelEntry => {
    const subject = deadLetterSubject(app, message);
    return {
      id: subject,
      message,
      componentMessage: deadLetterMessageName(message),
      stream: streamStoring(subject).name,
      description: `${message.name} messages that ${app} gave up on: retried until the last attempt, or unreadable at once. Kept until an operator replays or deletes them.`,
      deadLetterOf: app,
    };
  });
}

export function allChannels(): ChannelEntry[] {
  return catalog.flatMap((message) => [messageChannel(message), ...deadLetterChannels(message)]);
}
