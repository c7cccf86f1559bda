import {
  applyDecorators,
  createParamDecorator,
  HttpStatus,
  Inject,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { errorResponse } from '../error-response.js';
import { CustomerKeysUnavailable, CustomerTokenVerifier } from './customer-token-verifier.js';

/** The app's verifier, or null when its API is open. */
export const CUSTOMER_TOKENS = Symbol('CUSTOMER_TOKENS');

/** The name of the bearer scheme in the OpenAPI document. */
export const CUSTOMER_BEARER = 'customer';

export const UNAUTHENTICATED = 'AUTH.UNAUTHENTICATED';

/** Where the guard leaves the authenticated customer's id on the request. */
const CUSTOMER = Symbol('customer');
type WithCustomer = Request & { [CUSTOMER]?: string };

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;
const RETRY_AFTER_SECONDS = 5;

/**
 * Lets a request through with the customer its bearer token names, or answers
 * 401 (with `WWW-Authenticate: Bearer`) when the token is missing or invalid.
 * With no key configured it lets every request through, customer unknown.
 */
@Injectable()
export class CustomerAuthGuard implements CanActivate {
  constructor(@Inject(CUSTOMER_TOKENS) private readonly tokens: CustomerTokenVerifier | null) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.tokens) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<WithCustomer>();
    const response = http.getResponse<Response>();
    const header = request.headers.authorization;
    if (header === undefined) {
      // No error code when no credentials were sent (RFC 6750, 3.1).
      response.setHeader('WWW-Authenticate', 'Bearer');
      throw unauthenticated('missing Authorization: Bearer <token> header');
    }
    const token = BEARER.exec(header)?.[1];
    try {
      if (token === undefined) throw new Error('the Authorization header is not "Bearer <token>"');
      request[CUSTOMER] = await this.tokens.customerOf(token);
      return true;
    } catch (error) {
      if (error instanceof CustomerKeysUnavailable) {
        response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
        throw new ServiceUnavailableException({
          statusCode: HttpStatus.SERVICE_UNAVAILABLE,
          code: 'AUTH.KEYS_UNAVAILABLE',
          message: 'the token cannot be checked right now: try again shortly',
        });
      }
      const reason = (error as Error).message;
      response.setHeader(
        'WWW-Authenticate',
        `Bearer error="invalid_token", error_description="${reason.replace(/["\\]/g, '')}"`,
      );
      throw unauthenticated(reason);
    }
  }
}

function unauthenticated(message: string): UnauthorizedException {
  return new UnauthorizedException({ statusCode: 401, code: UNAUTHENTICATED, message });
}

/**
 * The authenticated customer's id (the token's `sub`), or undefined when the
 * API is open. Only on routes of a `@CustomerApi()` controller.
 */
export const AuthenticatedCustomer = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined =>
    context.switchToHttp().getRequest<WithCustomer>()[CUSTOMER],
);

/** Marks a controller as customer-facing: a customer's bearer token, once a key is configured. */
export function CustomerApi(): ClassDecorator {
  return applyDecorators(
    UseGuards(CustomerAuthGuard),
    ApiBearerAuth(CUSTOMER_BEARER),
    ApiResponse({
      status: 401,
      description: 'the bearer token is missing, malformed, expired, or not one this API trusts',
      standardSchema: errorResponse,
    }),
  );
}
