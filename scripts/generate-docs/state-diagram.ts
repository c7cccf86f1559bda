/** A message a transition sends or publishes. */
export interface EmittedMessage {
  readonly name: string;
  readonly kind: 'command' | 'event';
}

export interface StateTransition {
  readonly from: string;
  readonly on: string;
  readonly to: string;
  readonly emits: readonly EmittedMessage[];
}

function label(on: string, emits: readonly EmittedMessage[]): string {
  if (emits.length === 0) return on;
  const effects = emits.map(
    (message) => `${message.kind === 'command' ? 'sends' : 'publishes'} ${message.name}`,
  );
  return `${on} / ${effects.join(', ')}`;
}

/**
 * A Mermaid state diagram: the start, each transition in table order, and the
 * states nothing leads out of as final.
 */
export function mermaidStateDiagram(
  start: { readonly to: string; readonly on: string; readonly emits: readonly EmittedMessage[] },
  transitions: readonly StateTransition[],
): string {
  const states = [start.to, ...transitions.flatMap((row) => [row.from, row.to])];
  const final = [...new Set(states)].filter(
    (state) => !transitions.some((row) => row.from === state && row.to !== state),
  );
  // Mermaid draws two edges between the same states on top of each other: one edge, one line per row.
  const edges = new Map<string, string[]>();
  for (const row of transitions) {
    const edge = `${row.from} --> ${row.to}`;
    edges.set(edge, [...(edges.get(edge) ?? []), label(row.on, row.emits)]);
  }
  return [
    'stateDiagram-v2',
    `  [*] --> ${start.to} : ${label(start.on, start.emits)}`,
    ...[...edges].map(([edge, labels]) => `  ${edge} : ${labels.join('<br/>')}`),
    ...final.map((state) => `  ${state} --> [*]`),
  ].join('\n');
}

/** Replaces what lies between two marker lines, keeping the markers; refuses a text without them. */
export function replaceBetweenMarkers(text: string, name: string, content: string): string {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`the markers ${begin} and ${end} are missing`);
  return `${text.slice(0, from + begin.length)}\n${content}\n${text.slice(to)}`;
}
