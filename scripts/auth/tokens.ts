import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SignJWT } from 'jose';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Published with the code: for demos and tests only (deploy/auth/README.md). */
export const DEMO_PRIVATE_KEY_FILE = resolve(ROOT, 'deploy/auth/demo-only.private-key.pem');
export const DEMO_PUBLIC_KEY_FILE = resolve(ROOT, 'deploy/auth/demo-only.public-key.pem');
export const DEMO_ISSUER = 'nest-jetstream-platform-demo';
export const DEMO_AUDIENCE = 'nest-jetstream-platform';

export interface CustomerTokenOptions {
  /** PEM (PKCS#8) of an RSA or P-256 key; default: AUTH_DEMO_PRIVATE_KEY_FILE, else the demo key. */
  readonly privateKeyPem?: string;
  /** Default: AUTH_JWT_ISSUER, else the demo issuer. */
  readonly issuer?: string;
  /** Default: AUTH_JWT_AUDIENCE, else the demo audience. */
  readonly audience?: string;
  /** A jose time span (`15m`, `2h`, `1d`); default `1h`. */
  readonly expiresIn?: string;
}

/**
 * A bearer token for one customer (its `sub`), as an identity provider would
 * issue it: RS256 for an RSA key, ES256 for a P-256 key.
 */
export async function customerToken(
  customerId: string,
  options: CustomerTokenOptions = {},
): Promise<string> {
  const key = createPrivateKey(options.privateKeyPem ?? readFileSync(demoKeyFile(), 'utf8'));
  return new SignJWT({})
    .setProtectedHeader({ alg: algorithmOf(key), typ: 'JWT' })
    .setSubject(customerId)
    .setIssuer(options.issuer ?? (process.env.AUTH_JWT_ISSUER || DEMO_ISSUER))
    .setAudience(options.audience ?? (process.env.AUTH_JWT_AUDIENCE || DEMO_AUDIENCE))
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign(key);
}

function demoKeyFile(): string {
  return process.env.AUTH_DEMO_PRIVATE_KEY_FILE || DEMO_PRIVATE_KEY_FILE;
}

function algorithmOf(key: KeyObject): 'RS256' | 'ES256' {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return 'ES256';
  }
  throw new Error('the private key is neither RSA nor P-256: the apps accept RS256 and ES256 only');
}
