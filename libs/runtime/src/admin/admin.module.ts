import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { HttpErrorsFilter } from '@app/http-api';
import { DeadLetters } from '@app/messaging';
import { DeadLettersController } from './dead-letters.controller.js';
import { MetricsController } from './metrics.controller.js';

/**
 * The operator's endpoints, served on the admin port by an HTTP app of their
 * own, on the service's own instances: a replay goes through the consumers
 * this process runs.
 */
@Module({})
export class AdminModule {
  static of(service: INestApplicationContext): DynamicModule {
    return {
      module: AdminModule,
      controllers: [DeadLettersController, MetricsController],
      providers: [
        { provide: DeadLetters, useValue: service.get(DeadLetters) },
        { provide: APP_FILTER, useValue: new HttpErrorsFilter({}) },
      ],
    };
  }
}
