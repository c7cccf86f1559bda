import { Controller, Get, HttpCode, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { describeProblems, JetStreamServer, NatsClient, PROVISION_HINT } from '@app/messaging';

interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

const CHECK_TIMEOUT_MS = 2_000;

@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly nats: NatsClient,
    private readonly transport: JetStreamServer,
  ) {}

  /** The process is up; restarting it would not help anything else. */
  @Get('live')
  @HttpCode(HttpStatus.OK)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Ready to take work: database, NATS, and every stream and consumer this
   * app needs (gone ones are named, with what makes them again).
   */
  @Get('ready')
  async ready() {
    const checks = await Promise.all([
      this.check('database', () => this.dataSource.query('SELECT 1')),
      this.check('nats', async () => {
        if (!this.nats.isConnected) throw new Error('not connected');
      }),
      this.check('streams and consumers', async () => {
        const { problems } = await this.transport.inspectTopology();
        if (problems.length > 0) {
          throw new Error(`${describeProblems(problems)}; ${PROVISION_HINT}`);
        }
      }),
    ]);
    if (!checks.every((check) => check.ok)) {
      throw new ServiceUnavailableException({ status: 'unavailable', checks });
    }
    return { status: 'ok', checks };
  }

  private async check(name: string, probe: () => Promise<unknown>): Promise<Check> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        probe(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
        }),
      ]);
      return { name, ok: true };
    } catch (error) {
      return { name, ok: false, detail: (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }
}
