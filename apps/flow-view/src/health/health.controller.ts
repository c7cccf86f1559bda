import { Controller, Get, HttpCode, HttpStatus } from '@nestjs/common';
import { readinessOf, type Readiness } from '@app/runtime';
import { WireConnection } from '../nats/wire-connection.js';

/**
 * The probes every app answers. The view has no database: it serves its page
 * whatever NATS does, and the flow shows again once its connection is back,
 * so NATS is reported, never a reason to take the view out of service.
 */
@Controller('health')
export class HealthController {
  constructor(private readonly wire: WireConnection) {}

  @Get('live')
  @HttpCode(HttpStatus.OK)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(HttpStatus.OK)
  ready(): Readiness {
    return readinessOf([
      this.wire.isConnected
        ? { name: 'nats', ok: true, required: false }
        : { name: 'nats', ok: false, required: false, detail: 'not connected' },
    ]);
  }
}
