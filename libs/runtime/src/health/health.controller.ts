import { Controller, Get, HttpCode, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { DependencyChecks } from './dependency-checks.js';
import { readinessOf, type Readiness } from './readiness.js';

@Controller('health')
export class HealthController {
  constructor(private readonly dependencies: DependencyChecks) {}

  /** The process is up; restarting it would not help anything else. */
  @Get('live')
  @HttpCode(HttpStatus.OK)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Ready to serve its HTTP API: its database answers. NATS, the streams and
   * the consumers are reported in the body (`degraded` while one is down)
   * without taking the app out of service: the outbox holds the work.
   */
  @Get('ready')
  async ready(): Promise<Readiness> {
    const readiness = readinessOf(await this.dependencies.all());
    if (readiness.status === 'unavailable') throw new ServiceUnavailableException(readiness);
    return readiness;
  }
}
