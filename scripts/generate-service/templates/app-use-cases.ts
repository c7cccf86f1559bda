import type { ServiceSpec } from '../service-spec.js';

/** domain/, commands/, queries/, http/ and messages/: what the app does with what it receives. */
export function appUseCaseFiles(spec: ServiceSpec) {
  const { names, command, commandFile, event, eventFile } = spec;
  const { kebab, pascal } = names;
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
    [`${src}/commands/record-entry/record-entry.command.ts`]: `import { Command } from '@nestjs/cqrs';
import type { EntrySource } from '../../domain/${domain}.js';

/** Record one message; false when it was recorded already. */
export class RecordEntryCommand extends Command<boolean> {
  constructor(
    readonly source: EntrySource,
    /** The message's Nats-Msg-Id: at most one entry per message. */
    readonly messageId: string,
  ) {
    super();
  }
}
`,
    [`${src}/commands/record-entry/record-entry.handler.ts`]: `import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { entryFrom } from '../../domain/${domain}.js';
import { ${pascal}EntryRepository } from '../../persistence/${domain}.repository.js';
import { RecordEntryCommand } from './record-entry.command.js';

/** Runs in the unit of work of the message, so the inbox and the entry commit together. */
@CommandHandler(RecordEntryCommand)
export class RecordEntryHandler implements ICommandHandler<RecordEntryCommand, boolean> {
  private readonly logger = new Logger(RecordEntryHandler.name);

  constructor(private readonly entries: ${pascal}EntryRepository) {}

  async execute({ source, messageId }: RecordEntryCommand): Promise<boolean> {
    const entry = entryFrom(source, messageId, randomUUID(), new Date());
    const recorded = await this.entries.insertIfFirst(entry);
    if (recorded) this.logger.log(\`order \${entry.orderId}: recorded \${entry.source}\`);
    return recorded;
  }
}
`,
    [`${src}/queries/list-entries/list-entries.query.ts`]: `import { Query } from '@nestjs/cqrs';
import type { ${pascal}Entry } from '../../domain/${domain}.js';

/** Oldest first; every entry, or those of one order. */
export class ListEntriesQuery extends Query<${pascal}Entry[]> {
  constructor(
    readonly orderId: string | undefined,
    readonly limit: number,
  ) {
    super();
  }
}
`,
    [`${src}/queries/list-entries/list-entries.handler.ts`]: `import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ${pascal}Entry } from '../../domain/${domain}.js';
import { ${pascal}EntryRepository } from '../../persistence/${domain}.repository.js';
import { ListEntriesQuery } from './list-entries.query.js';

@QueryHandler(ListEntriesQuery)
export class ListEntriesHandler implements IQueryHandler<ListEntriesQuery, ${pascal}Entry[]> {
  constructor(private readonly entries: ${pascal}EntryRepository) {}

  execute({ orderId, limit }: ListEntriesQuery): Promise<${pascal}Entry[]> {
    return this.entries.find(orderId, limit);
  }
}
`,
    [`${src}/http/entries.controller.ts`]: `import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { id } from '@app/contracts';
import { ApiErrors, ValidQuery } from '@app/http-api';
import { ListEntriesQuery } from '../queries/list-entries/list-entries.query.js';

const listEntriesQuery = z.strictObject({
  orderId: id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
type ListEntriesParams = z.infer<typeof listEntriesQuery>;

@ApiTags('entries')
@Controller('entries')
export class EntriesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'The entries ${kebab} recorded, oldest first; those of one order with orderId' })
  @ApiErrors({ 400: 'orderId is not a UUID, or limit is not 1..500' })
  async list(@ValidQuery(listEntriesQuery) query: ListEntriesParams) {
    const entries = await this.queryBus.execute(new ListEntriesQuery(query.orderId, query.limit));
    return { items: entries.map((entry) => ({ ...entry, createdAt: entry.createdAt.toISOString() })) };
  }
}
`,
    [`${src}/messages/${commandFile}.controller.ts`]: `import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Ctx, Payload } from '@nestjs/microservices';
import { ${command} } from '@app/contracts';
import { HandleCommand, JetStreamContext } from '@app/messaging';
import { RecordEntryCommand } from '../commands/record-entry/record-entry.command.js';

/** The one command ${kebab} receives (cmd.${kebab}.${command}). */
@Controller()
export class ${command}Controller {
  constructor(private readonly commandBus: CommandBus) {}

  @HandleCommand(${command})
  async ${camelOf(command)}(
    @Payload() command: ${command},
    @Ctx() context: JetStreamContext,
  ): Promise<void> {
    await this.commandBus.execute(
      new RecordEntryCommand(
        { type: '${command}', message: command },
        context.getMetadata().messageId,
      ),
    );
  }
}
`,
    [`${src}/messages/${eventFile}.controller.ts`]: `import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Ctx, Payload } from '@nestjs/microservices';
import { ${event} } from '@app/contracts';
import { HandleEvent, JetStreamContext } from '@app/messaging';
import { RecordEntryCommand } from '../commands/record-entry/record-entry.command.js';

/** ${kebab} reacts to ${event}; nobody tells it to (choreography). */
@Controller()
export class ${event}Controller {
  constructor(private readonly commandBus: CommandBus) {}

  @HandleEvent(${event})
  async ${camelOf(event)}(
    @Payload() event: ${event},
    @Ctx() context: JetStreamContext,
  ): Promise<void> {
    await this.commandBus.execute(
      new RecordEntryCommand({ type: '${event}', message: event }, context.getMetadata().messageId),
    );
  }
}
`,
  };
}

function camelOf(name: string): string {
  return name[0]!.toLowerCase() + name.slice(1);
}
