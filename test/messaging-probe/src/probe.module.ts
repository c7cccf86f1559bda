import { Module, type DynamicModule } from '@nestjs/common';
import pg from 'pg';
import { PlatformModule, type PlatformEnvironment } from '@app/runtime';
import {
  ATTEMPTS_POOL,
  PROBE_SETTINGS,
  ProbeCommandsController,
  ProbeEventsController,
  ProbeHttpController,
  type ProbeSettings,
} from './probe.controllers.js';
import { ProbeTables1764201700000 } from './probe.migration.js';

/**
 * A minimal app on the messaging layer, for its tests. Run as app "probe" it
 * receives RecordProbe and publishes ProbeHappened; under any other name it
 * only subscribes to ProbeHappened.
 */
@Module({})
export class ProbeModule {
  static forRoot(app: string, env: PlatformEnvironment, settings: ProbeSettings): DynamicModule {
    const receivesCommands = app === 'probe';
    return {
      module: ProbeModule,
      imports: [PlatformModule.forRoot({ app, env, migrations: [ProbeTables1764201700000] })],
      controllers: receivesCommands
        ? [ProbeCommandsController, ProbeEventsController, ProbeHttpController]
        : [ProbeEventsController],
      providers: [
        { provide: PROBE_SETTINGS, useValue: settings },
        {
          provide: ATTEMPTS_POOL,
          useFactory: () => {
            const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 4 });
            // A database restarted under the probe ends its idle sessions; the next query opens new ones.
            pool.on('error', () => undefined);
            return pool;
          },
        },
      ],
    };
  }
}
