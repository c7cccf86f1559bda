import { describe, expect, it } from 'vitest';
import {
  adminSettings,
  ConfigurationError,
  platformEnvironment,
  readEnvironment,
} from './environment.js';

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

  it('puts the admin port at PORT + 1000, on 127.0.0.1 only while no token is set (an empty one is none)', () => {
    expect(adminSettings(readEnvironment(schema, {}))).toEqual({
      port: 4002,
      token: undefined,
      host: '127.0.0.1',
    });
    expect(adminSettings(readEnvironment(schema, { ADMIN_TOKEN: '' })).host).toBe('127.0.0.1');
    const token = 'a'.repeat(16);
    expect(
      adminSettings(
        readEnvironment(schema, { PORT: '8080', ADMIN_PORT: '9090', ADMIN_TOKEN: token }),
      ),
    ).toEqual({ port: 9090, token, host: undefined });
  });

  it('refuses a short token, an admin port beyond 65535 or on the public port, in one line', () => {
    expect(() => readEnvironment(schema, { ADMIN_TOKEN: 'short' })).toThrow(
      'invalid configuration: ADMIN_TOKEN: must be at least 16 characters',
    );
    expect(() => adminSettings(readEnvironment(schema, { PORT: '65000' }))).toThrow(
      /ADMIN_PORT defaults to PORT \+ 1000 \(66000\), beyond 65535: set ADMIN_PORT/,
    );
    expect(() =>
      adminSettings(readEnvironment(schema, { PORT: '3002', ADMIN_PORT: '3002' })),
    ).toThrow('invalid configuration: ADMIN_PORT (3002) must differ from PORT');
  });
});
