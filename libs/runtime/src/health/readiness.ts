/** One dependency as the readiness answer reports it. */
export interface DependencyCheck {
  readonly name: string;
  readonly ok: boolean;
  /** Whether the app is out of service while this one is down. */
  readonly required: boolean;
  readonly detail?: string;
}

export interface Readiness {
  /** `degraded`: in service, with a dependency that is not required down. */
  readonly status: 'ok' | 'degraded' | 'unavailable';
  readonly checks: readonly DependencyCheck[];
}

/**
 * Ready means the app can serve its HTTP API. Only the required checks (the
 * database) decide that: while NATS is down the outbox keeps what the app
 * publishes, so taking the app out of service would turn an outage of the
 * message flow into one of the API too.
 */
export function readinessOf(checks: readonly DependencyCheck[]): Readiness {
  if (checks.some((check) => check.required && !check.ok)) {
    return { status: 'unavailable', checks };
  }
  return { status: checks.every((check) => check.ok) ? 'ok' : 'degraded', checks };
}
