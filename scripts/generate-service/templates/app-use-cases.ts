import type { ServiceSpec } from '../service-spec.js';

/** commands/ and queries/: recording an entry, and listing them. */
export function appUseCaseFiles(spec: ServiceSpec) {
  const { kebab, pascal } = spec.names;
  const src = `apps/${kebab}/src`;
  const domain = `${kebab}-entry`;
  return {
    [`${src}/commands/record-entry/record-entry.command.ts`]: `import { Command } from '@nestjs/cqrs';
import type { EntrySource } from '../../domain/${domain}.js';

/** Record one message, at most once. */
export class RecordEntryCommand extends Command<void> {
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
import { Transactional, UnitOfWork } from '@app/transactions';
import { entryFrom } from '../../domain/${domain}.js';
import { ${pascal}EntryRepository } from '../../persistence/${domain}.repository.js';
import { RecordEntryCommand } from './record-entry.command.js';

/** Runs in the transaction of the message, so the inbox and the entry commit together. */
@CommandHandler(RecordEntryCommand)
@Transactional()
export class RecordEntryHandler implements ICommandHandler<RecordEntryCommand, void> {
  private readonly logger = new Logger(RecordEntryHandler.name);

  constructor(
    private readonly entries: ${pascal}EntryRepository,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async execute({ source, messageId }: RecordEntryCommand): Promise<void> {
    const entry = entryFrom(source, messageId, randomUUID(), new Date());
    this.entries.add(entry);
    this.unitOfWork.afterCommit(() =>
      this.logger.log(\`order \${entry.orderId}: recorded \${entry.source}\`),
    );
  }
}
`,
    [`${src}/queries/list-entries/list-entries.query.ts`]: `import { Query } from '@nestjs/cqrs';
import type { ${pascal}Entry } from '../../domain/${domain}.js';

/** Oldest first; every entry, or those of one order; only one customer's when the API authenticates. */
export class ListEntriesQuery extends Query<${pascal}Entry[]> {
  constructor(
    readonly orderId: string | undefined,
    readonly limit: number,
    readonly customerId: string | undefined,
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

  execute({ orderId, limit, customerId }: ListEntriesQuery): Promise<${pascal}Entry[]> {
    return this.entries.find({ orderId, customerId }, limit);
  }
}
`,
  };
}
