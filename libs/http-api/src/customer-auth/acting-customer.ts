import { ForbiddenException } from '@nestjs/common';

export const OTHER_CUSTOMER = 'AUTH.OTHER_CUSTOMER';

/**
 * The customer a request acts for: the authenticated one, who may name
 * themselves or no one; naming another customer is refused (403), whatever
 * the request is (a body, a filter). With the API open, the one it names.
 */
export function actingCustomer(
  authenticated: string | undefined,
  named: string | undefined,
): string | undefined {
  if (authenticated === undefined) return named;
  if (named !== undefined && named !== authenticated) {
    throw new ForbiddenException({
      statusCode: 403,
      code: OTHER_CUSTOMER,
      message: `the token is for customer ${authenticated}: a request may only name that customer, not ${named}`,
    });
  }
  return authenticated;
}
