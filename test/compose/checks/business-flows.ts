import { flowsUrls, runFlows } from '../../flows/runner-process.js';
import type { GatewayUrls } from '../compose-project.js';
import type { GatewayClient } from '../gateway-client.js';

/** The business settings of the run's env file that decide which path an order takes. */
export interface BusinessSettings {
  readonly declineAbove: number;
  readonly shippingCountries: readonly string[];
}

/**
 * `npm run test:flows` through the gateway's published ports, as a user runs
 * it after `docker compose up`: the same flows the e2e suite runs against
 * its own processes. Answers the summary's count, or fails with the flows'
 * own report of what did not happen.
 */
export async function businessFlowsThroughGateway(
  urls: GatewayUrls,
  settings: BusinessSettings,
  credentials: Record<string, string> = {},
): Promise<string> {
  const unshippable =
    ['ZZ', 'BR', 'ZA', 'MX'].find((country) => !settings.shippingCountries.includes(country)) ??
    'ZZ';
  const run = await runFlows([], {
    ...flowsUrls(urls),
    FLOWS_DECLINE_ABOVE: String(settings.declineAbove),
    FLOWS_UNSHIPPABLE_COUNTRY: unshippable,
    ...credentials,
  });
  const passed = run.output.match(/ passed$/gm)?.length ?? 0;
  if (run.code !== 0) {
    const failures = run.output
      .split('\n')
      .filter((line) => /FAILED|StepNotReached|AssertionError|does not answer/.test(line))
      .slice(0, 8);
    throw new Error(`npm run test:flows failed:\n${failures.join('\n')}`);
  }
  return `${passed} flows passed`;
}

/** One order placed and settled, kept to check that its data outlives `down` and `up`. */
export async function aSettledOrder(client: GatewayClient): Promise<string> {
  const { id } = await client.placeOrderRetrying({ country: 'DE', unitPrice: 1250 }, 10_000);
  await client.settled([id], 60_000);
  return id;
}
