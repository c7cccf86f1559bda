import { afterAll, beforeAll, describe } from 'vitest';
import { registerFlows } from '../flows/register.js';
import { Platform } from './platform.js';

const DECLINE_ABOVE = 100_000;

// The same flows `npm run test:flows` runs against a deployment, here against
// the four apps this file starts with their default business rules.
describe('the business flows against the four apps', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start({
      env: {
        payments: { PAYMENTS_DECLINE_ABOVE: String(DECLINE_ABOVE) },
        shipping: { SHIPPING_COUNTRIES: 'US,CA,GB,DE,FR,NL,JP,AU' },
      },
    });
  });

  afterAll(async () => {
    await platform?.dispose();
  });

  registerFlows(() =>
    platform.flowTarget({ declineAbove: DECLINE_ABOVE, unshippableCountry: 'ZZ' }),
  );
});
