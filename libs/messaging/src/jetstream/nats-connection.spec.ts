import { describe, expect, it } from 'vitest';
import { withoutCredentials } from './nats-connection.js';

describe(withoutCredentials.name, () => {
  it.each([
    ['a user and password', 'nats://orders:s3cret@nats:4222', 'nats://orders:***@nats:4222'],
    ['a token given as the user', 'nats://t0ken@nats:4222', 'nats://***@nats:4222'],
    [
      'each URL of a cluster',
      'nats://a:s3cret@n1:4222,nats://a:s3cret@n2:4222',
      'nats://a:***@n1:4222,nats://a:***@n2:4222',
    ],
    ['a URL NATS would not take either', 'not a url:s3cret@x', '<hidden>'],
  ])('masks %s', (_, url, shown) => {
    expect(withoutCredentials(url)).toBe(shown);
    expect(withoutCredentials(url)).not.toMatch(/s3cret|t0ken/);
  });

  it('leaves a URL without credentials as it is', () => {
    expect(withoutCredentials('nats://127.0.0.1:4222')).toBe('nats://127.0.0.1:4222');
  });
});
