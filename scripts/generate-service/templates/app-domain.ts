import type { ServiceSpec } from '../service-spec.js';

/** domain/: the rule of what an entry says, and its unit test; neither Nest nor TypeORM. */
export function appDomainFiles(spec: ServiceSpec) {
  const { command, event } = spec;
  const { kebab, pascal } = spec.names;
  const src = `apps/${kebab}/src`;
  const domain = `${kebab}-entry`;
  return {
    [`${src}/domain/${domain}.ts`]: `import type { ${event}, ${command} } from '@app/contracts';

/** One thing the app was told (its command) or heard (an event), recorded once per message. */
export interface ${pascal}Entry {
  readonly id: string;
  /** The message's Nats-Msg-Id: a message recorded twice would have a second entry. */
  readonly messageId: string;
  readonly source: EntrySource['type'];
  readonly orderId: string;
  readonly customerId: string;
  readonly note: string;
  readonly createdAt: Date;
}

export type EntrySource =
  | { readonly type: '${command}'; readonly message: ${command} }
  | { readonly type: '${event}'; readonly message: ${event} };

/** What an entry says: the command's own note, or the fact the event reports. */
export function noteOf(source: EntrySource): string {
  switch (source.type) {
    case '${command}':
      return source.message.note.trim();
    case '${event}':
      return \`order \${source.message.orderId} completed\`;
  }
}

export function entryFrom(
  source: EntrySource,
  messageId: string,
  id: string,
  createdAt: Date,
): ${pascal}Entry {
  const { orderId, customerId } = source.message;
  return { id, messageId, source: source.type, orderId, customerId, note: noteOf(source), createdAt };
}
`,
    [`${src}/domain/${domain}.spec.ts`]: `import { describe, expect, it } from 'vitest';
import { entryFrom, noteOf } from './${domain}.js';

const orderId = '0d7c3f36-3a44-4c4f-9d3f-7d1e7a5d2b10';
const customerId = '5b0f6c1e-8a3e-4a52-b6a1-2f9e0d4c7a21';

describe(noteOf.name, () => {
  it('keeps the note the ${command} command gives, without surrounding blanks', () => {
    expect(
      noteOf({ type: '${command}', message: { orderId, customerId, note: '  first order  ' } }),
    ).toBe('first order');
  });

  it('notes which order completed for ${event}', () => {
    expect(noteOf({ type: '${event}', message: { orderId, customerId } })).toBe(
      \`order \${orderId} completed\`,
    );
  });
});

describe(entryFrom.name, () => {
  it('records the order, the customer and the message an entry comes from', () => {
    const createdAt = new Date('2026-01-01T00:00:00Z');
    expect(
      entryFrom({ type: '${event}', message: { orderId, customerId } }, 'msg-1', 'id-1', createdAt),
    ).toEqual({
      id: 'id-1',
      messageId: 'msg-1',
      source: '${event}',
      orderId,
      customerId,
      note: \`order \${orderId} completed\`,
      createdAt,
    });
  });
});
`,
  };
}
