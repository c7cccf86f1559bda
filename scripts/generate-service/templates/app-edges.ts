import type { ServiceSpec } from '../service-spec.js';

/** http/ and messages/: the edges, which translate and dispatch. */
export function appEdgeFiles(spec: ServiceSpec) {
  const { command, commandFile, event, eventFile } = spec;
  const { kebab } = spec.names;
  const src = `apps/${kebab}/src`;
  return {
    [`${src}/http/entries.controller.ts`]: `import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { id } from '@app/contracts';
import { ApiErrors, AuthenticatedCustomer, CustomerApi, ValidQuery } from '@app/http-api';
import { ListEntriesQuery } from '../queries/list-entries/list-entries.query.js';

const listEntriesQuery = z.strictObject({
  orderId: id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
type ListEntriesParams = z.infer<typeof listEntriesQuery>;

@ApiTags('entries')
@CustomerApi()
@Controller('entries')
export class EntriesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'The entries ${kebab} recorded, oldest first; those of one order with orderId; with a token, only those of its customer' })
  @ApiErrors({ 400: 'orderId is not a UUID, or limit is not 1..500' })
  async list(
    @AuthenticatedCustomer() customer: string | undefined,
    @ValidQuery(listEntriesQuery) query: ListEntriesParams,
  ) {
    const entries = await this.queryBus.execute(
      new ListEntriesQuery(query.orderId, query.limit, customer),
    );
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
