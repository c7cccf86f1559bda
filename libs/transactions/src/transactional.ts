import { Injectable, SetMetadata, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { Transactions } from './transactions.js';
import type { WorkCause } from './work-cause.js';

const TRANSACTIONAL = Symbol('transactional');

export interface TransactionalOptions {
  /** May share its transaction with other work (see `RunOptions.grouped`). */
  readonly grouped?: boolean;
  /**
   * Runs once more when its transaction fails on a unique key that another
   * transaction committed first: the second run sees that row.
   */
  readonly retryOnUniqueViolation?: boolean;
}

/** A command that brings the cause of its work: where it opens a transaction, the transaction carries it. */
export interface Caused {
  readonly cause: WorkCause;
}

/**
 * Marks a command handler whose `execute` runs in a transaction: one of its
 * own when it is executed outside any (an HTTP request, a timer), or the one
 * already open (a message being handled). The only place a transaction is
 * declared besides the message consumers.
 */
export const Transactional = (options: TransactionalOptions = {}): ClassDecorator =>
  SetMetadata(TRANSACTIONAL, options);

interface CommandHandler {
  execute(command: object): Promise<unknown>;
}

/** Wraps the `execute` of every `@Transactional` handler of the app in its transaction. */
@Injectable()
export class TransactionalHandlers implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly transactions: Transactions,
  ) {}

  onModuleInit(): void {
    for (const { instance, metatype } of this.discovery.getProviders()) {
      if (!metatype || !instance) continue;
      const options = this.reflector.get<TransactionalOptions | undefined>(TRANSACTIONAL, metatype);
      if (options) this.wrap(instance as CommandHandler, options);
    }
  }

  private wrap(handler: CommandHandler, options: TransactionalOptions): void {
    const execute = handler.execute.bind(handler);
    const run = (command: object) =>
      this.transactions.run(() => execute(command), {
        cause: (command as Partial<Caused>).cause,
        grouped: options.grouped,
      });
    handler.execute = options.retryOnUniqueViolation
      ? (command) =>
          run(command).catch((error: unknown) => {
            if (!isUniqueViolation(error)) throw error;
            return run(command);
          })
      : run;
  }
}

function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505'
  );
}
