import { UNVERSIONED } from '@app/contracts';

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
}

export type FailureDecision =
  { readonly action: 'retry'; readonly delayMs: number } | { readonly action: 'dead-letter' };

/** Exponential back-off: base, 2×base, 4×base… capped. `attempt` counts from 1. */
export function retryDelay(attempt: number, policy: RetryPolicy): number {
  const exponent = Math.max(0, attempt - 1);
  return Math.min(policy.retryMaxDelayMs, policy.retryBaseDelayMs * 2 ** exponent);
}

/** What to do with a message whose handler failed on delivery `attempt`. */
export function afterFailure(attempt: number, policy: RetryPolicy): FailureDecision {
  if (attempt >= policy.maxAttempts) return { action: 'dead-letter' };
  return { action: 'retry', delayMs: retryDelay(attempt, policy) };
}

export interface NewerVersionPolicy {
  readonly newerVersionDelayMs: number;
  readonly newerVersionDeliveries: number;
}

/**
 * What to do with a message of a version newer than this consumer knows, on
 * delivery `deliveries`: hand it back for a while, as a newer replica sharing
 * the consumer may take it, then park it with its reason to replay after the
 * upgrade. It is never handled here and never lost.
 */
export function afterNewerVersion(deliveries: number, policy: NewerVersionPolicy): FailureDecision {
  if (deliveries >= policy.newerVersionDeliveries) return { action: 'dead-letter' };
  return { action: 'retry', delayMs: policy.newerVersionDelayMs };
}

/**
 * Deliveries after which a message that never completed an attempt is taken
 * for a crash loop: twice its attempts. A version after the first may also
 * have been handed back by older replicas while a rollout went on, which were
 * no attempts: those deliveries are allowed on top.
 */
export function crashLoopDeliveries(
  version: number,
  policy: Pick<RetryPolicy, 'maxAttempts'> & Pick<NewerVersionPolicy, 'newerVersionDeliveries'>,
): number {
  const handedBack = version > UNVERSIONED ? policy.newerVersionDeliveries : 0;
  return policy.maxAttempts * 2 + handedBack;
}
