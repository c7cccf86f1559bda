import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ORDERS_CONFIG, type OrdersConfig } from '../../config.js';
import { ExpireOverdueOrdersCommand } from './expire-overdue-orders.command.js';

/**
 * Every replica sweeps; the deadlines live in the orders table and claims skip
 * locked rows, so a restart loses nothing and two replicas never expire one order twice.
 */
@Injectable()
export class DeadlineSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeadlineSweeper.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly commandBus: CommandBus,
    @Inject(ORDERS_CONFIG) private readonly config: OrdersConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sweep().finally(() => {
        this.running = undefined;
        this.schedule();
      });
    }, this.config.ORDERS_DEADLINE_SWEEP_MS);
  }

  private async sweep(): Promise<void> {
    try {
      const expired = await this.commandBus.execute(new ExpireOverdueOrdersCommand());
      if (expired > 0) this.logger.log(`moved ${expired} order(s) past their deadline`);
    } catch (error) {
      this.logger.warn(`deadline sweep failed, will try again: ${(error as Error).message}`);
    }
  }
}
