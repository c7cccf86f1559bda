import type { ServiceSpec } from '../service-spec.js';

/** main.ts, config.ts and the module: the app's wiring, as the other apps have it. */
export function appCoreFiles(spec: ServiceSpec) {
  const { names, port, command, commandFile, event, eventFile, migrationTimestamp } = spec;
  const { kebab, pascal, camel, constant } = names;
  const src = `apps/${kebab}/src`;
  const migrationClass = `${pascal}Tables${migrationTimestamp}`;
  return {
    [`${src}/main.ts`]: `import 'reflect-metadata';
import { serveOpenApi } from '@app/http-api';
import { runService } from '@app/runtime';
import { ${constant}_APP, read${pascal}Config } from './config.js';
import { ${pascal}Module } from './${kebab}.module.js';

await runService(${constant}_APP, () => {
  const config = read${pascal}Config();
  return {
    module: ${pascal}Module.forRoot(config),
    env: config,
    configure: serveOpenApi,
  };
});
`,
    [`${src}/config.ts`]: `import { z } from 'zod';
import { customerAuthEnvironment } from '@app/http-api';
import { platformEnvironment, readEnvironment } from '@app/runtime';

export const ${constant}_APP = '${kebab}';

/** The platform's settings; DATABASE_URL defaults to a database of the app's own name. */
export const ${camel}Environment = platformEnvironment(${constant}_APP, ${port}).extend({
  ...customerAuthEnvironment,
});

export type ${pascal}Config = z.infer<typeof ${camel}Environment>;

export function read${pascal}Config(env: NodeJS.ProcessEnv = process.env): ${pascal}Config {
  return readEnvironment(${camel}Environment, env);
}
`,
    [`${src}/${kebab}.module.ts`]: `import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { HttpApiModule } from '@app/http-api';
import { PlatformModule } from '@app/runtime';
import { RecordEntryHandler } from './commands/record-entry/record-entry.handler.js';
import { ${constant}_APP, type ${pascal}Config } from './config.js';
import { EntriesController } from './http/entries.controller.js';
import { ${event}Controller } from './messages/${eventFile}.controller.js';
import { ${command}Controller } from './messages/${commandFile}.controller.js';
import { ${migrationClass} } from './persistence/migrations/${migrationTimestamp}-${kebab}-tables.migration.js';
import { ${pascal}EntryEntity } from './persistence/${kebab}-entry.entity.js';
import { ${pascal}EntryRepository } from './persistence/${kebab}-entry.repository.js';
import { ListEntriesHandler } from './queries/list-entries/list-entries.handler.js';

@Module({})
export class ${pascal}Module {
  static forRoot(config: ${pascal}Config): DynamicModule {
    return {
      module: ${pascal}Module,
      imports: [
        PlatformModule.forRoot({
          app: ${constant}_APP,
          env: config,
          entities: [${pascal}EntryEntity],
          migrations: [${migrationClass}],
        }),
        CqrsModule.forRoot(),
        HttpApiModule.forApp({
          title: '${kebab}',
          customerAuth: config,
          description: 'Records one entry per ${command} command and per ${event} event.',
          errorStatuses: {},
        }),
      ],
      controllers: [EntriesController, ${command}Controller, ${event}Controller],
      providers: [${pascal}EntryRepository, RecordEntryHandler, ListEntriesHandler],
    };
  }
}
`,
  };
}
