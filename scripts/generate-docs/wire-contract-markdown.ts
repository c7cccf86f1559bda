import { MESSAGE_HEADERS, streams, type StreamDefinition } from '@app/contracts';
import { deadLetterHeaderMeanings, messageHeaderMeanings } from './headers.js';
import { code, table } from './markdown.js';
import { humanDuration } from './streams.js';

/** The headers every message carries, with what each means. */
export function messageHeadersTable(): string {
  return table(
    ['header', 'meaning'],
    MESSAGE_HEADERS.map((name) => [code(name), messageHeaderMeanings[name]]),
  ).join('\n');
}

/** The headers a dead letter adds to the original's, with what each means. */
export function deadLetterHeadersTable(): string {
  return table(
    ['header', 'meaning'],
    Object.entries(deadLetterHeaderMeanings).map(([name, meaning]) => [code(name), meaning]),
  ).join('\n');
}

function kept(stream: StreamDefinition): string {
  if (stream.maxAgeMs) return humanDuration(stream.maxAgeMs);
  return stream.retention === 'workqueue' ? 'until acknowledged' : 'until deleted';
}

/** Every stream: what it stores, how long, and what it is for. */
export function streamsTable(): string {
  return table(
    ['stream', 'subjects', 'retention', 'kept', 'duplicates dropped within', 'for'],
    streams.map((stream) => [
      code(stream.name),
      stream.subjects.map(code).join(', '),
      stream.retention,
      kept(stream),
      humanDuration(stream.duplicateWindowMs),
      stream.purpose,
    ]),
  ).join('\n');
}
