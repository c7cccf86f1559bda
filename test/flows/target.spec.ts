import { describe, expect, it } from 'vitest';
import { targetFromEnvironment } from './target.js';

describe(targetFromEnvironment.name, () => {
  it('points at npm start on this machine when nothing is set', () => {
    expect(targetFromEnvironment({})).toEqual({
      ordersUrl: 'http://127.0.0.1:3001',
      paymentsUrl: 'http://127.0.0.1:3002',
      shippingUrl: 'http://127.0.0.1:3003',
      notificationsUrl: 'http://127.0.0.1:3004',
      stepTimeoutMs: 30_000,
      declineAbove: 100_000,
      unshippableCountry: 'ZZ',
      paymentTimeoutMs: undefined,
      shippingTimeoutMs: undefined,
    });
  });

  it('takes each setting, and a URL with a path prefix without its trailing slash', () => {
    const target = targetFromEnvironment({
      FLOWS_ORDERS_URL: 'https://shop.example.com/orders-api/',
      FLOWS_STEP_TIMEOUT_MS: '5000',
      FLOWS_DECLINE_ABOVE: '500',
      FLOWS_UNSHIPPABLE_COUNTRY: 'BR',
      FLOWS_PAYMENT_TIMEOUT_MS: '2000',
    });
    expect(target).toMatchObject({
      ordersUrl: 'https://shop.example.com/orders-api',
      stepTimeoutMs: 5_000,
      declineAbove: 500,
      unshippableCountry: 'BR',
      paymentTimeoutMs: 2_000,
    });
  });

  it.each([
    [{ FLOWS_PAYMENTS_URL: 'payments:3002' }, /FLOWS_PAYMENTS_URL must be an http\(s\) URL/],
    [{ FLOWS_ORDERS_URL: 'ftp://host' }, /FLOWS_ORDERS_URL must be an http\(s\) URL/],
    [{ FLOWS_STEP_TIMEOUT_MS: '30s' }, /FLOWS_STEP_TIMEOUT_MS must be a positive whole number/],
    [{ FLOWS_DECLINE_ABOVE: '0' }, /FLOWS_DECLINE_ABOVE must be a positive whole number/],
    [{ FLOWS_UNSHIPPABLE_COUNTRY: 'Brazil' }, /FLOWS_UNSHIPPABLE_COUNTRY must be an ISO 3166/],
  ])('refuses %o with a line naming the setting', (env, message) => {
    expect(() => targetFromEnvironment(env)).toThrow(message);
  });
});
