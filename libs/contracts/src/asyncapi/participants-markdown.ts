import { catalog } from '../catalog.js';
import { originsOf, participantNames, sentBy, subscribedBy } from '../participants.js';

function names(messages: readonly { name: string }[]): string {
  return messages.map((message) => message.name).join(', ') || '–';
}

/** Which app sends, publishes, receives and subscribes to what, one row per app. */
export function participantsTable(): string {
  const rows = participantNames().map((app) => {
    const publishes = catalog.filter((message) => message.kind === 'event' && message.app === app);
    const receives = catalog.filter((message) => message.kind === 'command' && message.app === app);
    return `| ${app} | ${names(sentBy(app))} | ${names(publishes)} | ${names(receives)} | ${names(subscribedBy(app))} |`;
  });
  return [
    '| app | sends commands | publishes events | receives commands | subscribes to events |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/**
 * Who talks to whom, as a Mermaid flowchart: a solid arrow per command (one
 * receiver), a dotted one per event and subscriber.
 */
export function messageMapDiagram(): string {
  const edges = catalog.flatMap((message) =>
    originsOf(message).flatMap((origin) => {
      if (message.kind === 'command') return [`  ${origin} -->|${message.name}| ${message.app}`];
      return participantNames()
        .filter((app) => subscribedBy(app).includes(message))
        .map((subscriber) => `  ${origin} -.->|${message.name}| ${subscriber}`);
    }),
  );
  return ['flowchart LR', ...edges].join('\n');
}
