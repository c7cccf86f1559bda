import {
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CustomerAuthNotice } from './customer-auth/customer-auth-notice.js';
import { CUSTOMER_TOKENS } from './customer-auth/customer-auth.guard.js';
import type { CustomerAuthSettings } from './customer-auth/customer-auth.settings.js';
import { CustomerTokenVerifier } from './customer-auth/customer-token-verifier.js';
import { HttpErrorsFilter, type ErrorStatuses } from './http-errors.filter.js';
import { JsonOnlyMiddleware } from './json-only.middleware.js';
import { OPEN_API_INFO, type OpenApiInfo } from './open-api.js';

export interface HttpApiOptions extends OpenApiInfo {
  /** The app's domain error codes and the HTTP status each one means. */
  readonly errorStatuses: ErrorStatuses;
  /** Customer-facing apps: how customers authenticate (the API is open without a key). */
  readonly customerAuth?: CustomerAuthSettings;
}

/**
 * The HTTP edge every app shares: JSON-only bodies, one error format, OpenAPI
 * at /docs, customers' bearer tokens on `@CustomerApi()` controllers.
 */
@Module({})
export class HttpApiModule implements NestModule {
  static forApp(options: HttpApiOptions): DynamicModule {
    return {
      module: HttpApiModule,
      providers: [
        {
          provide: OPEN_API_INFO,
          useValue: { title: options.title, description: options.description },
        },
        { provide: APP_FILTER, useValue: new HttpErrorsFilter(options.errorStatuses) },
        {
          provide: CUSTOMER_TOKENS,
          useValue: options.customerAuth ? CustomerTokenVerifier.from(options.customerAuth) : null,
        },
        ...(options.customerAuth ? [CustomerAuthNotice] : []),
      ],
      exports: [OPEN_API_INFO, CUSTOMER_TOKENS],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(JsonOnlyMiddleware).forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}
