import {
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  type KeyInput,
} from 'jose';
import { z } from 'zod';
import {
  CUSTOMER_TOKEN_ALGORITHMS,
  customerAuthEnabled,
  publicKeyOf,
  type CustomerAuthSettings,
} from './customer-auth.settings.js';

/** The token is missing, malformed, forged, expired or for someone else: a 401, with why. */
export class InvalidCustomerToken extends Error {}

/** The issuer's key set cannot be fetched: the token may be fine, so not the client's fault. */
export class CustomerKeysUnavailable extends Error {}

const customerId = z.uuid();

/** How long a JWKS fetch may take, and how soon a token with an unknown `kid` may fetch again. */
const JWKS_TIMEOUT_MS = 5_000;
const JWKS_COOLDOWN_MS = 30_000;

/**
 * Checks a customer's bearer token: signed with the configured key (or a key
 * of the JWKS) by one of the two allowed algorithms, from the issuer, for the
 * audience, not expired, its subject a customer id. Every other algorithm,
 * `none` and HS256 signed with the public key as its secret included, is
 * refused by jose before any signature is checked.
 */
export class CustomerTokenVerifier {
  private constructor(
    private readonly key: KeyInput | JWTVerifyGetKey,
    private readonly options: JWTVerifyOptions,
    /** For the start-up line: what tokens this app takes. */
    readonly describe: string,
  ) {}

  /** The verifier the settings ask for, or null when customers do not authenticate. */
  static from(settings: CustomerAuthSettings): CustomerTokenVerifier | null {
    if (!customerAuthEnabled(settings)) return null;
    const checks = {
      issuer: settings.AUTH_JWT_ISSUER,
      audience: settings.AUTH_JWT_AUDIENCE,
      clockTolerance: settings.AUTH_JWT_CLOCK_TOLERANCE_S,
      requiredClaims: ['sub', 'exp'],
    };
    const whose = `issuer ${settings.AUTH_JWT_ISSUER}, audience ${settings.AUTH_JWT_AUDIENCE}`;
    if (settings.AUTH_JWKS_URL !== undefined) {
      const keys = createRemoteJWKSet(new URL(settings.AUTH_JWKS_URL), {
        timeoutDuration: JWKS_TIMEOUT_MS,
        cooldownDuration: JWKS_COOLDOWN_MS,
      });
      return new CustomerTokenVerifier(
        keys,
        { ...checks, algorithms: [...CUSTOMER_TOKEN_ALGORITHMS] },
        `${CUSTOMER_TOKEN_ALGORITHMS.join(' or ')} tokens from the key set at ${settings.AUTH_JWKS_URL}, ${whose}`,
      );
    }
    const { key, algorithm } = publicKeyOf(settings.AUTH_JWT_PUBLIC_KEY!);
    return new CustomerTokenVerifier(
      key,
      { ...checks, algorithms: [algorithm] },
      `${algorithm} tokens, ${whose}`,
    );
  }

  /** The customer id the token stands for; throws InvalidCustomerToken or CustomerKeysUnavailable. */
  async customerOf(token: string): Promise<string> {
    let subject: string | undefined;
    try {
      subject = (await jwtVerify(token, this.key, this.options)).payload.sub;
    } catch (error) {
      throw refusal(error, typeof this.key === 'function');
    }
    if (!customerId.safeParse(subject).success) {
      throw new InvalidCustomerToken('the token subject (sub) is not a customer id (a UUID)');
    }
    return subject!;
  }
}

/** Why a token is refused, in words a client's developer can act on. */
function refusal(error: unknown, fromKeySet: boolean): Error {
  if (error instanceof errors.JWTExpired) return new InvalidCustomerToken('the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new InvalidCustomerToken(claimRefusal(error.claim, error.reason));
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new InvalidCustomerToken(
      `the token is not signed with an accepted algorithm (${CUSTOMER_TOKEN_ALGORITHMS.join(', ')})`,
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new InvalidCustomerToken('the token signature does not verify');
  }
  if (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return new InvalidCustomerToken('no single key of the issuer key set matches the token');
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new CustomerKeysUnavailable(`the issuer key set cannot be used: ${error.message}`);
  }
  // A fetch of the key set that failed below jose (refused connection, DNS).
  if (fromKeySet && !(error instanceof errors.JOSEError)) {
    return new CustomerKeysUnavailable(
      `the issuer key set cannot be fetched: ${(error as Error).message}`,
    );
  }
  return new InvalidCustomerToken('the token is not a well-formed signed JWT');
}

function claimRefusal(claim: string, reason: string): string {
  if (reason === 'missing') return `the token has no ${claim} claim`;
  switch (claim) {
    case 'iss':
      return 'the token was issued by another issuer than the one this API trusts';
    case 'aud':
      return 'the token is meant for another audience than this API';
    case 'nbf':
      return 'the token is not valid yet';
    default:
      return `the token ${claim} claim is invalid`;
  }
}
