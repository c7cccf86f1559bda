import { describe, expect, it } from 'vitest';
import { ConfigurationError, platformEnvironment, readEnvironment } from './environment.js';

describe('platform settings', () => {
  const schema = platformEnvironment('payments', 3002);

  it('defaults to two grouped transactions, under a pool of twenty', () => {
    const settings = readEnvironment(schema, {});
    expect([settings.DATABASE_TRANSACTIONS, settings.DATABASE_POOL_SIZE]).toEqual([2, 20]);
  });

  it('refuses more grouped transactions than the pool leaves room for, in one line', () => {
    expect(() =>
      readEnvironment(schema, { DATABASE_POOL_SIZE: '8', DATABASE_TRANSACTIONS: '8' }),
    ).toThrow(
      new ConfigurationError(
        'invalid configuration: DATABASE_TRANSACTIONS (8) must be below DATABASE_POOL_SIZE (8)',
      ),
    );
  });
});
