import { createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/**
 * The settings of customer authentication, read by each customer-facing app
 * with its others (listed in docs/running.md). With neither a public key nor
 * a JWKS URL the API is open.
 */
export const customerAuthEnvironment = {
  /** PEM public key (RSA or P-256) the customers' tokens are signed for; or `AUTH_JWT_PUBLIC_KEY_FILE`. */
  AUTH_JWT_PUBLIC_KEY: z.string().min(1).optional(),
  /** Where the issuer publishes its keys (JWKS), instead of one public key. */
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The `iss` every token must carry. */
  AUTH_JWT_ISSUER: z.string().min(1).optional(),
  /** The `aud` every token must name. */
  AUTH_JWT_AUDIENCE: z.string().min(1).optional(),
  /** How far the clocks of issuer and app may drift apart, for `exp` and `nbf`. */
  AUTH_JWT_CLOCK_TOLERANCE_S: z.coerce.number().int().min(0).max(300).default(30),
};

export type CustomerAuthSettings = Readonly<z.infer<z.ZodObject<typeof customerAuthEnvironment>>>;

/** The one algorithm a public key verifies: RSA keys RS256, P-256 keys ES256, no other. */
export type CustomerTokenAlgorithm = 'RS256' | 'ES256';
export const CUSTOMER_TOKEN_ALGORITHMS: readonly CustomerTokenAlgorithm[] = ['RS256', 'ES256'];

export interface PublicKeyOf {
  readonly key: KeyObject;
  readonly algorithm: CustomerTokenAlgorithm;
}

/** The PEM as a key, and the algorithm it is for; throws a readable Error otherwise. */
export function publicKeyOf(pem: string): PublicKeyOf {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new Error('AUTH_JWT_PUBLIC_KEY: not a PEM public key');
  }
  if (key.asymmetricKeyType === 'rsa') return { key, algorithm: 'RS256' };
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return { key, algorithm: 'ES256' };
  }
  const type = [key.asymmetricKeyType, key.asymmetricKeyDetails?.namedCurve]
    .filter(Boolean)
    .join(' ');
  throw new Error(`AUTH_JWT_PUBLIC_KEY: a ${type} key; expected RSA (RS256) or P-256 (ES256)`);
}

/** Whether customers must authenticate: a key or a key set is configured. */
export function customerAuthEnabled(settings: CustomerAuthSettings): boolean {
  return settings.AUTH_JWT_PUBLIC_KEY !== undefined || settings.AUTH_JWKS_URL !== undefined;
}

/**
 * What is wrong with these settings as a whole, in one line, or undefined.
 * A key without an issuer and an audience would accept tokens minted for
 * any other service that trusts the same issuer, hence both are required.
 */
export function customerAuthProblem(settings: CustomerAuthSettings): string | undefined {
  if (!customerAuthEnabled(settings)) return undefined;
  if (settings.AUTH_JWT_PUBLIC_KEY !== undefined && settings.AUTH_JWKS_URL !== undefined) {
    return 'set AUTH_JWT_PUBLIC_KEY (or AUTH_JWT_PUBLIC_KEY_FILE) or AUTH_JWKS_URL, not both';
  }
  const missing = (['AUTH_JWT_ISSUER', 'AUTH_JWT_AUDIENCE'] as const).filter(
    (name) => settings[name] === undefined,
  );
  if (missing.length > 0) {
    return `${missing.join(' and ')} must be set once customers authenticate (a public key or AUTH_JWKS_URL is set)`;
  }
  if (settings.AUTH_JWT_PUBLIC_KEY !== undefined) {
    try {
      publicKeyOf(settings.AUTH_JWT_PUBLIC_KEY);
    } catch (error) {
      return (error as Error).message;
    }
  }
  return undefined;
}
