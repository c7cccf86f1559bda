import { z } from 'zod';
import { customerAuthEnvironment } from '@app/http-api';
import { platformEnvironment, readEnvironment } from '@app/runtime';

export const FLOW_VIEW_APP = 'flow-view';

/**
 * A web page and a NATS subscription: the platform's HTTP and NATS settings,
 * no database. Its one port is for operators, as the apps' admin ports are.
 */
export const flowViewEnvironment = platformEnvironment(FLOW_VIEW_APP, 3005)
  .pick({
    PORT: true,
    ADMIN_TOKEN: true,
    NATS_URL: true,
    NATS_USER: true,
    NATS_PASSWORD: true,
    HTTP_TRUST_PROXY: true,
    HTTP_DRAIN_MS: true,
  })
  .extend({
    /** The orders HTTP API, where the page's form places its demo orders. */
    FLOW_VIEW_ORDERS_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3001'),
    /**
     * Where orders wants customer tokens: a DEMO private key (PEM, or
     * FLOW_VIEW_DEMO_PRIVATE_KEY_FILE) the form signs its customers' tokens
     * with, for the issuer and audience orders checks.
     */
    FLOW_VIEW_DEMO_PRIVATE_KEY: z.string().min(1).optional(),
    AUTH_JWT_ISSUER: customerAuthEnvironment.AUTH_JWT_ISSUER,
    AUTH_JWT_AUDIENCE: customerAuthEnvironment.AUTH_JWT_AUDIENCE,
  })
  .refine(
    (settings) =>
      settings.FLOW_VIEW_DEMO_PRIVATE_KEY === undefined ||
      (settings.AUTH_JWT_ISSUER !== undefined && settings.AUTH_JWT_AUDIENCE !== undefined),
    { message: 'FLOW_VIEW_DEMO_PRIVATE_KEY needs AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE' },
  );

export type FlowViewConfig = z.infer<typeof flowViewEnvironment>;

/** Fails with one readable line (a ConfigurationError) when a setting is wrong. */
export function readFlowViewConfig(env: NodeJS.ProcessEnv = process.env): FlowViewConfig {
  return readEnvironment(flowViewEnvironment, env);
}

export const FLOW_VIEW_CONFIG = Symbol('FLOW_VIEW_CONFIG');
