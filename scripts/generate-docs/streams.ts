import { streams, type StreamDefinition } from '@app/contracts';

/** NATS subject matching: `*` stands for one token, a final `>` for one or more. */
export function subjectMatches(filter: string, subject: string): boolean {
  const filterTokens = filter.split('.');
  const subjectTokens = subject.split('.');
  for (const [index, token] of filterTokens.entries()) {
    if (token === '>') return subjectTokens.length > index;
    if (index >= subjectTokens.length) return false;
    if (token !== '*' && token !== subjectTokens[index]) return false;
  }
  return filterTokens.length === subjectTokens.length;
}

/** The one stream that stores a subject; a subject no stream stores is a mistake in the contract. */
export function streamStoring(subject: string): StreamDefinition {
  const matching = streams.filter((stream) =>
    stream.subjects.some((filter) => subjectMatches(filter, subject)),
  );
  if (matching.length !== 1) {
    throw new Error(`${subject} must be stored by exactly one stream, found ${matching.length}`);
  }
  return matching[0]!;
}

/** 120000 → "2 minutes", 604800000 → "7 days". */
export function humanDuration(milliseconds: number): string {
  const units: Array<[string, number]> = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
    ['second', 1_000],
  ];
  for (const [unit, size] of units) {
    if (milliseconds >= size && milliseconds % size === 0) {
      const count = milliseconds / size;
      return `${count} ${unit}${count === 1 ? '' : 's'}`;
    }
  }
  return `${milliseconds} ms`;
}

/** The stream as a specification extension: the facts an operator needs, in JetStream's words. */
export function streamExtension(stream: StreamDefinition): Record<string, unknown> {
  return {
    name: stream.name,
    subjects: [...stream.subjects],
    retention: stream.retention,
    storage: stream.storage,
    maxAge: stream.maxAgeMs ? humanDuration(stream.maxAgeMs) : 'unlimited',
    duplicateWindow: stream.duplicateWindowMs ? humanDuration(stream.duplicateWindowMs) : 'none',
    purpose: stream.purpose,
  };
}
