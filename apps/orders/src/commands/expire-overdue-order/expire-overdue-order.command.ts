import { randomUUID } from 'node:crypto';
import { Command } from '@nestjs/cqrs';
import type { Caused, WorkCause } from '@app/transactions';

/** Moves one order whose step deadline has passed; false when none is overdue. */
export class ExpireOverdueOrderCommand extends Command<boolean> implements Caused {
  /** The deadline passing is the cause of what the saga does: it gets an id like a message. */
  readonly cause: WorkCause = { causationId: randomUUID() };
}
