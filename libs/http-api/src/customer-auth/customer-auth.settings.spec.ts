import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { customerAuthProblem, publicKeyOf } from './customer-auth.settings.js';

const pem = (pair: { publicKey: { export(options: object): string | Buffer } }) =>
  pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();

const rsaPem = pem(generateKeyPairSync('rsa', { modulusLength: 2048 }));
const p256Pem = pem(generateKeyPairSync('ec', { namedCurve: 'P-256' }));
const p384Pem = pem(generateKeyPairSync('ec', { namedCurve: 'P-384' }));
const ed25519Pem = pem(generateKeyPairSync('ed25519'));

const complete = {
  AUTH_JWT_PUBLIC_KEY: rsaPem,
  AUTH_JWT_ISSUER: 'https://id.example.test/',
  AUTH_JWT_AUDIENCE: 'orders-api',
  AUTH_JWT_CLOCK_TOLERANCE_S: 30,
};

describe(customerAuthProblem.name, () => {
  it('finds nothing wrong with no key at all: the API is open', () => {
    expect(customerAuthProblem({ AUTH_JWT_CLOCK_TOLERANCE_S: 30 })).toBeUndefined();
  });

  it('finds nothing wrong with a key, an issuer and an audience', () => {
    expect(customerAuthProblem(complete)).toBeUndefined();
  });

  it('requires the issuer and the audience once a key or a key set is set', () => {
    expect(customerAuthProblem({ ...complete, AUTH_JWT_ISSUER: undefined })).toMatch(
      /^AUTH_JWT_ISSUER must be set/,
    );
    expect(
      customerAuthProblem({
        AUTH_JWKS_URL: 'https://id.example.test/jwks.json',
        AUTH_JWT_CLOCK_TOLERANCE_S: 30,
      }),
    ).toMatch(/^AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE must be set/);
  });

  it('refuses a key and a key set together', () => {
    expect(
      customerAuthProblem({ ...complete, AUTH_JWKS_URL: 'https://id.example.test/jwks.json' }),
    ).toMatch(/not both/);
  });

  it('refuses a key that is not a PEM public key', () => {
    expect(customerAuthProblem({ ...complete, AUTH_JWT_PUBLIC_KEY: 'secret' })).toBe(
      'AUTH_JWT_PUBLIC_KEY: not a PEM public key',
    );
  });
});

describe(publicKeyOf.name, () => {
  it('verifies RS256 with an RSA key and ES256 with a P-256 key', () => {
    expect(publicKeyOf(rsaPem).algorithm).toBe('RS256');
    expect(publicKeyOf(p256Pem).algorithm).toBe('ES256');
  });

  it('refuses other keys, naming what they are', () => {
    expect(() => publicKeyOf(p384Pem)).toThrow(/a ec secp384r1 key; expected RSA/);
    expect(() => publicKeyOf(ed25519Pem)).toThrow(/a ed25519 key/);
  });
});
