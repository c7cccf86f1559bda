import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { customerToken } from '../../scripts/auth/tokens.js';
import type { FlowEnvironment, FlowTarget } from './target.js';

/**
 * The target, with the credentials its customers need: none where its API is
 * open, or a bearer token per customer, signed the way `npm run auth:token`
 * signs one (AUTH_DEMO_PRIVATE_KEY_FILE, AUTH_JWT_ISSUER, AUTH_JWT_AUDIENCE).
 * FLOWS_AUTH says whether to: `auto` (the default) asks the target.
 */
export async function withCredentials(
  target: FlowTarget,
  env: FlowEnvironment,
): Promise<FlowTarget> {
  const mode = env.FLOWS_AUTH?.trim() || 'auto';
  if (!['auto', 'on', 'off'].includes(mode))
    throw new Error(`FLOWS_AUTH must be auto, on or off, not "${mode}"`);
  if (mode === 'off' || (mode === 'auto' && !(await asksForTokens(target)))) return target;
  const privateKeyPem = env.AUTH_DEMO_PRIVATE_KEY_FILE
    ? readFileSync(env.AUTH_DEMO_PRIVATE_KEY_FILE, 'utf8')
    : undefined;
  return {
    ...target,
    credentialsOf: async (customerId) => ({
      Authorization: `Bearer ${await customerToken(customerId, {
        privateKeyPem,
        issuer: env.AUTH_JWT_ISSUER || undefined,
        audience: env.AUTH_JWT_AUDIENCE || undefined,
      })}`,
    }),
  };
}

/** Whether the orders API refuses a customer's list without a token. */
async function asksForTokens(target: FlowTarget): Promise<boolean> {
  try {
    const answer = await fetch(`${target.ordersUrl}/orders?customerId=${randomUUID()}`, {
      signal: AbortSignal.timeout(10_000),
    });
    return answer.status === 401;
  } catch {
    // Not answering: the flows say so, step by step.
    return false;
  }
}
