import { Command } from '@nestjs/cqrs';

/** Moves every order whose step deadline has passed; the result is how many. */
export class ExpireOverdueOrdersCommand extends Command<number> {
  constructor(readonly maxOrders = 100) {
    super();
  }
}
