import {
  DEMO_AUDIENCE,
  DEMO_ISSUER,
  DEMO_PRIVATE_KEY_FILE,
  DEMO_PUBLIC_KEY_FILE,
} from '../auth/tokens.js';
import { LaunchError } from './launch-error.js';

/** How the customer-facing APIs started here authenticate customers. */
export type CustomerAuthMode = 'demo' | 'given' | 'off';

const OWN_KEY = ['AUTH_JWT_PUBLIC_KEY', 'AUTH_JWT_PUBLIC_KEY_FILE', 'AUTH_JWKS_URL'] as const;

/**
 * The developer's own key when the environment has one; none with
 * START_AUTH=off; otherwise the demo key pair of deploy/auth, so that the
 * APIs ask for tokens as they would in production, and `npm run auth:token`
 * hands them out.
 */
export function customerAuthMode(env: NodeJS.ProcessEnv): CustomerAuthMode {
  const setting = env.START_AUTH ?? '';
  if (!['', 'on', 'off'].includes(setting)) {
    throw new LaunchError(`START_AUTH must be on or off, not "${setting}"`);
  }
  if (setting === 'off') return 'off';
  return OWN_KEY.some((name) => env[name]) ? 'given' : 'demo';
}

/** What the four services get on top of the environment. */
export function serviceAuthEnvironment(mode: CustomerAuthMode): Record<string, string> {
  if (mode !== 'demo') return {};
  return {
    AUTH_JWT_PUBLIC_KEY_FILE: DEMO_PUBLIC_KEY_FILE,
    AUTH_JWT_ISSUER: DEMO_ISSUER,
    AUTH_JWT_AUDIENCE: DEMO_AUDIENCE,
  };
}

/** The flow view's form signs a demo customer's token with the demo key. */
export function flowViewAuthEnvironment(mode: CustomerAuthMode): Record<string, string> {
  if (mode !== 'demo') return {};
  return {
    FLOW_VIEW_DEMO_PRIVATE_KEY_FILE: DEMO_PRIVATE_KEY_FILE,
    AUTH_JWT_ISSUER: DEMO_ISSUER,
    AUTH_JWT_AUDIENCE: DEMO_AUDIENCE,
  };
}

/** The banner's line about customer tokens. */
export function customerAuthLine(mode: CustomerAuthMode): string {
  switch (mode) {
    case 'demo':
      return 'customer APIs want a bearer token (demo key, deploy/auth): TOKEN=$(npm run -s auth:token -- <customerId>)';
    case 'given':
      return 'customer APIs want a bearer token from the issuer your AUTH_* settings name';
    case 'off':
      return 'customer APIs open to anyone (START_AUTH=off)';
  }
}
