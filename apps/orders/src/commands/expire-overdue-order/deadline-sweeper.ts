import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ORDERS_CONFIG, type OrdersConfig } from '../../config.js';
import { ExpireOverdueOrderCommand } from './expire-overdue-order.command.js';

/** Orders one sweep moves at most, so that shutdown never waits on a long backlog. */
const MAX_ORDERS_PER_SWEEP = 100;

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
      let expired = 0;
      while (
        !this.stopped &&
        expired < MAX_ORDERS_PER_SWEEP &&
        (await this.commandBus.execute(new ExpireOverdueOrderCommand()))
      ) {
        expired += 1;
      }
      if (expired > 0) this.logger.log(`moved ${expired} order(s) past their deadline`);
    } catch (error) {
      this.logger.warn(`deadline sweep failed, will try again: ${(error as Error).message}`);
    }
  }
}
