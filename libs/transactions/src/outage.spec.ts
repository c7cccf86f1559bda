import { describe, expect, it } from 'vitest';
import { isDatabaseUnreachable } from './outage.js';

const withCode = (code: string) => Object.assign(new Error('failed'), { code });

describe(isDatabaseUnreachable.name, () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a connection reset', withCode('ECONNRESET')],
    ['a server shutting down', withCode('57P01')],
    ['a server starting up', withCode('57P03')],
    ['too many connections', withCode('53300')],
    ['a connection exception', withCode('08006')],
    ['a lock not granted within lock_timeout', withCode('55P03')],
    ['a statement cancelled at statement_timeout', withCode('57014')],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect')],
    [
      'every address refused',
      new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'refused'),
    ],
  ])('takes %s for an outage', (_, error) => {
    expect(isDatabaseUnreachable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('23505')],
    ['a syntax error', withCode('42601')],
    ['a deadlock', withCode('40P01')],
    ['a domain error', withCode('ORDER.NOT_FOUND')],
    ['a plain error', new Error('boom')],
    ['a value that is not an error', 'ECONNREFUSED'],
    [
      'an aggregate with a real failure in it',
      new AggregateError([withCode('ECONNREFUSED'), new Error('boom')]),
    ],
  ])('does not take %s for an outage', (_, error) => {
    expect(isDatabaseUnreachable(error)).toBe(false);
  });
});
