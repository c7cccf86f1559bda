/**
 * The deployment the flows talk to, and what it is known to allow. Every
 * setting has a default that fits `npm start` on this machine.
 */
export interface FlowTarget {
  readonly ordersUrl: string;
  readonly paymentsUrl: string;
  readonly shippingUrl: string;
  readonly notificationsUrl: string;
  /** How long any one step of a flow may take before the flow fails, naming it. */
  readonly stepTimeoutMs: number;
  /** The target's PAYMENTS_DECLINE_ABOVE: an order above it is declined. */
  readonly declineAbove: number;
  /** A valid country the target's shipping does not serve: its shipment fails. */
  readonly unshippableCountry: string;
  /** Set when the target's payments answer after its payment deadline (its value). */
  readonly paymentTimeoutMs?: number;
  /** Set when the target's shipping answers after its shipping deadline (its value). */
  readonly shippingTimeoutMs?: number;
  /** Headers that prove who the customer is, when the target authenticates customers. */
  readonly credentialsOf?: (customerId: string) => Promise<Record<string, string>>;
}

export type FlowEnvironment = Readonly<Record<string, string | undefined>>;

/** The target as the FLOWS_* variables describe it (see docs/flows.md). */
export function targetFromEnvironment(env: FlowEnvironment): FlowTarget {
  return {
    ordersUrl: url(env, 'FLOWS_ORDERS_URL', 'http://127.0.0.1:3001'),
    paymentsUrl: url(env, 'FLOWS_PAYMENTS_URL', 'http://127.0.0.1:3002'),
    shippingUrl: url(env, 'FLOWS_SHIPPING_URL', 'http://127.0.0.1:3003'),
    notificationsUrl: url(env, 'FLOWS_NOTIFICATIONS_URL', 'http://127.0.0.1:3004'),
    stepTimeoutMs: count(env, 'FLOWS_STEP_TIMEOUT_MS') ?? 30_000,
    declineAbove: count(env, 'FLOWS_DECLINE_ABOVE') ?? 100_000,
    unshippableCountry: country(env, 'FLOWS_UNSHIPPABLE_COUNTRY') ?? 'ZZ',
    paymentTimeoutMs: count(env, 'FLOWS_PAYMENT_TIMEOUT_MS'),
    shippingTimeoutMs: count(env, 'FLOWS_SHIPPING_TIMEOUT_MS'),
  };
}

function url(env: FlowEnvironment, name: string, fallback: string): string {
  const value = env[name]?.trim() || fallback;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error(`${name} must be an http(s) URL, not "${value}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new Error(`${name} must be an http(s) URL, not "${value}"`);
  return value.replace(/\/+$/, '');
}

function count(env: FlowEnvironment, name: string): number | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  if (!/^\d+$/.test(value) || Number(value) <= 0)
    throw new Error(`${name} must be a positive whole number, not "${value}"`);
  return Number(value);
}

function country(env: FlowEnvironment, name: string): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  if (!/^[A-Z]{2}$/.test(value))
    throw new Error(`${name} must be an ISO 3166 alpha-2 code such as ZZ, not "${value}"`);
  return value;
}
