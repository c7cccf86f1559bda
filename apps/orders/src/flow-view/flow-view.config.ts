import { z } from 'zod';
import { readEnvironment } from '@app/runtime';

export const flowViewEnvironment = z.object({
  /** The live view of the message flow at GET /flow; `false` turns it off. */
  ORDERS_FLOW_VIEW: z
    .enum(['true', 'false'], { error: 'must be "true" or "false"' })
    .default('true')
    .transform((value) => value === 'true'),
});

export interface FlowViewConfig {
  readonly enabled: boolean;
}

/** Fails with one readable line (a ConfigurationError) when the setting is wrong. */
export function readFlowViewConfig(env: NodeJS.ProcessEnv = process.env): FlowViewConfig {
  return { enabled: readEnvironment(flowViewEnvironment, env).ORDERS_FLOW_VIEW };
}
