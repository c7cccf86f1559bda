import { randomUUID } from 'node:crypto';
import { ForbiddenException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { actingCustomer } from './acting-customer.js';

describe(actingCustomer.name, () => {
  const alice = randomUUID();
  const bob = randomUUID();

  it('acts for the customer a request names while the API is open', () => {
    expect(actingCustomer(undefined, bob)).toBe(bob);
    expect(actingCustomer(undefined, undefined)).toBeUndefined();
  });

  it('acts for the authenticated customer, named or not', () => {
    expect(actingCustomer(alice, alice)).toBe(alice);
    expect(actingCustomer(alice, undefined)).toBe(alice);
  });

  it('refuses with 403 a request that names another customer than the token', () => {
    expect(() => actingCustomer(alice, bob)).toThrow(ForbiddenException);
  });
});
