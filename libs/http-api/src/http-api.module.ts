import {
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { HttpErrorsFilter, type ErrorStatuses } from './http-errors.filter.js';
import { JsonOnlyMiddleware } from './json-only.middleware.js';
import { OPEN_API_INFO, type OpenApiInfo } from './open-api.js';

export interface HttpApiOptions extends OpenApiInfo {
  /** The app's domain error codes and the HTTP status each one means. */
  readonly errorStatuses: ErrorStatuses;
}

/** The HTTP edge every app shares: JSON-only bodies, one error format, OpenAPI at /docs. */
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
      ],
      exports: [OPEN_API_INFO],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(JsonOnlyMiddleware).forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}
