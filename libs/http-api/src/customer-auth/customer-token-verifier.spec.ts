import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { CustomerAuthSettings } from './customer-auth.settings.js';
import { CustomerTokenVerifier, InvalidCustomerToken } from './customer-token-verifier.js';

const ISSUER = 'https://id.example.test/';
const AUDIENCE = 'orders-api';

function aKeyPair(type: 'rsa' | 'ec') {
  const pair =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKey: pair.privateKey,
    publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const rsa = aKeyPair('rsa');
const ec = aKeyPair('ec');

function verifierFor(publicKeyPem: string, overrides: Partial<CustomerAuthSettings> = {}) {
  const verifier = CustomerTokenVerifier.from({
    AUTH_JWT_PUBLIC_KEY: publicKeyPem,
    AUTH_JWT_ISSUER: ISSUER,
    AUTH_JWT_AUDIENCE: AUDIENCE,
    AUTH_JWT_CLOCK_TOLERANCE_S: 30,
    ...overrides,
  });
  if (!verifier) throw new Error('expected a verifier');
  return verifier;
}

interface Claims {
  sub?: string;
  iss?: string;
  aud?: string;
  /** Seconds from now; null leaves exp out. */
  expiresIn?: number | null;
  alg?: string;
}

async function aToken(
  key: Parameters<SignJWT['sign']>[0],
  { sub = randomUUID(), iss = ISSUER, aud = AUDIENCE, expiresIn = 600, alg = 'RS256' }: Claims = {},
) {
  const jwt = new SignJWT({}).setProtectedHeader({ alg }).setIssuedAt();
  if (sub) jwt.setSubject(sub);
  if (iss) jwt.setIssuer(iss);
  if (aud) jwt.setAudience(aud);
  if (expiresIn !== null) jwt.setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn);
  return jwt.sign(key);
}

async function refusal(verifier: CustomerTokenVerifier, token: string): Promise<string> {
  const error = await verifier.customerOf(token).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(InvalidCustomerToken);
  return (error as Error).message;
}

describe(CustomerTokenVerifier.name, () => {
  it('is not there when neither a key nor a key set is configured', () => {
    expect(CustomerTokenVerifier.from({ AUTH_JWT_CLOCK_TOLERANCE_S: 30 })).toBeNull();
  });

  it('gives the subject of an RS256 token signed with the RSA key', async () => {
    const customer = randomUUID();
    const token = await aToken(rsa.privateKey, { sub: customer });
    await expect(verifierFor(rsa.publicKeyPem).customerOf(token)).resolves.toBe(customer);
  });

  it('gives the subject of an ES256 token signed with the P-256 key', async () => {
    const customer = randomUUID();
    const token = await aToken(ec.privateKey, { sub: customer, alg: 'ES256' });
    await expect(verifierFor(ec.publicKeyPem).customerOf(token)).resolves.toBe(customer);
  });

  it('refuses an expired token, but not one expired within the clock tolerance', async () => {
    const verifier = verifierFor(rsa.publicKeyPem);
    expect(await refusal(verifier, await aToken(rsa.privateKey, { expiresIn: -31 }))).toBe(
      'the token has expired',
    );
    const within = await aToken(rsa.privateKey, { expiresIn: -20 });
    await expect(verifier.customerOf(within)).resolves.toBeTypeOf('string');
  });

  it('refuses a token without an expiry', async () => {
    const token = await aToken(rsa.privateKey, { expiresIn: null });
    expect(await refusal(verifierFor(rsa.publicKeyPem), token)).toBe('the token has no exp claim');
  });

  it('refuses a token from another issuer or for another audience', async () => {
    const verifier = verifierFor(rsa.publicKeyPem);
    expect(
      await refusal(verifier, await aToken(rsa.privateKey, { iss: 'https://other/' })),
    ).toMatch(/another issuer/);
    expect(await refusal(verifier, await aToken(rsa.privateKey, { aud: 'other-api' }))).toMatch(
      /another audience/,
    );
  });

  it('refuses a token whose subject is not a customer id', async () => {
    const token = await aToken(rsa.privateKey, { sub: 'admin' });
    expect(await refusal(verifierFor(rsa.publicKeyPem), token)).toMatch(/not a customer id/);
  });

  it('refuses HS256 signed with the public key as its secret', async () => {
    const token = await aToken(new TextEncoder().encode(rsa.publicKeyPem), { alg: 'HS256' });
    expect(await refusal(verifierFor(rsa.publicKeyPem), token)).toMatch(/accepted algorithm/);
  });

  it('refuses ES256 where the key is RSA: one algorithm per key', async () => {
    const token = await aToken(ec.privateKey, { alg: 'ES256' });
    expect(await refusal(verifierFor(rsa.publicKeyPem), token)).toMatch(/accepted algorithm/);
  });

  it('refuses an unsigned token (alg none)', async () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const exp = Math.floor(Date.now() / 1000) + 600;
    const token = `${part({ alg: 'none' })}.${part({ sub: randomUUID(), iss: ISSUER, aud: AUDIENCE, exp })}.`;
    expect(await refusal(verifierFor(rsa.publicKeyPem), token)).toMatch(
      /accepted algorithm|well-formed/,
    );
  });

  it('refuses a token signed by another key', async () => {
    const token = await aToken(aKeyPair('rsa').privateKey);
    expect(await refusal(verifierFor(rsa.publicKeyPem), token)).toBe(
      'the token signature does not verify',
    );
  });

  it('refuses what is not a JWT', async () => {
    expect(await refusal(verifierFor(rsa.publicKeyPem), 'a.b.c')).toMatch(/well-formed/);
  });
});
