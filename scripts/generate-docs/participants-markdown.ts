import {
  catalog,
  originsOf,
  participantNames,
  recipientsOf,
  sentBy,
  subscribedBy,
} from '@app/contracts';

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
 * Who talks to whom, as a Mermaid flowchart: a solid arrow for commands (one
 * receiver), a dotted one for events, to each subscriber; one arrow per pair
 * of apps and kind, naming all its messages.
 */
export function messageMapDiagram(): string {
  const edges = new Map<string, string[]>();
  for (const message of catalog) {
    for (const origin of originsOf(message)) {
      for (const recipient of recipientsOf(message)) {
        const arrow = message.kind === 'command' ? '-->' : '-.->';
        const edge = `${origin} ${arrow} ${recipient}`;
        edges.set(edge, [...(edges.get(edge) ?? []), message.name]);
      }
    }
  }
  return [
    'flowchart LR',
    ...[...edges].map(([edge, names]) => {
      const [from, arrow, to] = edge.split(' ');
      return `  ${from} ${arrow}|${names.join('<br/>')}| ${to}`;
    }),
  ].join('\n');
}
