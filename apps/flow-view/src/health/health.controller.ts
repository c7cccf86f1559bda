import { Controller, Get, HttpCode, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { WireConnection } from '../nats/wire-connection.js';

/** The probes every app answers; ready here means connected to NATS, all the view needs. */
@Controller('health')
export class HealthController {
  constructor(private readonly wire: WireConnection) {}

  @Get('live')
  @HttpCode(HttpStatus.OK)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  ready() {
    const checks = [
      this.wire.isConnected
        ? { name: 'nats', ok: true }
        : { name: 'nats', ok: false, detail: 'not connected' },
    ];
    if (!checks.every((check) => check.ok)) {
      throw new ServiceUnavailableException({ status: 'unavailable', checks });
    }
    return { status: 'ok', checks };
  }
}
