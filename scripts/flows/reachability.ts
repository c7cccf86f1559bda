import type { FlowTarget } from '../../test/flows/target.js';

/**
 * One line per service that does not answer HTTP at all, so that a target
 * that is not running fails once and clearly rather than in every flow. Any
 * HTTP answer counts: a gateway may not route the health endpoints.
 */
export async function unreachableServices(target: FlowTarget): Promise<string[]> {
  const services = {
    orders: target.ordersUrl,
    payments: target.paymentsUrl,
    shipping: target.shippingUrl,
    notifications: target.notificationsUrl,
  };
  const answers = await Promise.all(
    Object.entries(services).map(async ([service, url]) => {
      try {
        await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(5_000) });
        return undefined;
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        return `${service} at ${url} does not answer (${cause?.code ?? cause?.message ?? (error as Error).message})`;
      }
    }),
  );
  return answers.filter((line): line is string => line !== undefined);
}
