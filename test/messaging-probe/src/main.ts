import 'reflect-metadata';
import { z } from 'zod';
import { platformEnvironment, readEnvironment, runService } from '@app/runtime';
import { ProbeModule } from './probe.module.js';

await runService('probe', () => {
  const env = readEnvironment(
    platformEnvironment('probe', 3999).extend({
      PROBE_APP: z.string().default('probe'),
      PROBE_REPLICA: z.string().default('1'),
      PROBE_HANDLER_DELAY_MS: z.coerce.number().int().nonnegative().default(0),
    }),
  );
  return {
    module: ProbeModule.forRoot(env.PROBE_APP, env, {
      replica: env.PROBE_REPLICA,
      handlerDelayMs: env.PROBE_HANDLER_DELAY_MS,
    }),
    env,
  };
});
