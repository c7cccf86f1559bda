import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  Command,
  CommandBus,
  CommandHandler,
  CqrsModule,
  type ICommandHandler,
} from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  column,
  insertInto,
  PIPELINED_CONNECTIONS,
  Transactional,
  Transactions,
  TransactionsModule,
  UnitOfWork,
  type Caused,
  type WorkCause,
} from '@app/transactions';
import { TestDatabase } from '../../../test/support/test-database.js';

interface Effect {
  readonly key: string;
  readonly cause: string | null;
}

const EFFECTS = insertInto<Effect>('effects', {
  key: column('text', (effect) => effect.key),
  cause: column('text', (effect) => effect.cause),
});

/** Records an effect keyed once; answers whether it found one committed already. */
class RecordEffect extends Command<'recorded' | 'found'> implements Caused {
  constructor(
    readonly key: string,
    readonly cause: WorkCause,
    /** Held after the look-up, so that two commands race to the same key. */
    readonly afterLookUp: () => Promise<void> = async () => undefined,
  ) {
    super();
  }
}

@CommandHandler(RecordEffect)
@Transactional({ retryOnUniqueViolation: true })
class RecordEffectHandler implements ICommandHandler<RecordEffect> {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async execute({ key, afterLookUp }: RecordEffect): Promise<'recorded' | 'found'> {
    const { rows } = await this.unitOfWork.query({
      text: 'SELECT 1 FROM effects WHERE key = $1',
      values: [key],
    });
    if (rows.length > 0) return 'found';
    await afterLookUp();
    this.unitOfWork.write(EFFECTS, { key, cause: this.unitOfWork.cause?.causationId ?? null });
    return 'recorded';
  }
}

/** Records an effect in whatever transaction executes it. */
class RecordNested extends Command<void> {
  constructor(readonly key: string) {
    super();
  }
}

@CommandHandler(RecordNested)
@Transactional()
class RecordNestedHandler implements ICommandHandler<RecordNested> {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async execute({ key }: RecordNested): Promise<void> {
    this.unitOfWork.write(EFFECTS, { key, cause: this.unitOfWork.cause?.causationId ?? null });
  }
}

/** A transaction boundary declared on command handlers, on a real PostgreSQL. */
describe('@Transactional', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let commands: CommandBus;
  let transactions: Transactions;

  beforeAll(async () => {
    db = await TestDatabase.create('transactional');
    await db.query('CREATE TABLE effects (key text PRIMARY KEY, cause text)');
    @Module({
      imports: [
        TypeOrmModule.forRoot({ type: 'postgres', url: db.url, extra: PIPELINED_CONNECTIONS }),
        TransactionsModule.forRoot({ lanes: 2, maxGroup: 8 }),
        CqrsModule.forRoot(),
      ],
      providers: [RecordEffectHandler, RecordNestedHandler],
    })
    class TestModule {}
    app = await NestFactory.createApplicationContext(TestModule, { logger: false });
    await app.init();
    commands = app.get(CommandBus);
    transactions = app.get(Transactions);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const stored = async (key: string) =>
    db.query<Effect>('SELECT key, cause FROM effects WHERE key = $1', [key]);

  it('runs a command in a transaction of its own that carries the cause the command brings', async () => {
    const key = randomUUID();

    const outcome = await commands.execute(new RecordEffect(key, { causationId: 'request-1' }));

    expect(outcome).toBe('recorded');
    expect(await stored(key)).toEqual([{ key, cause: 'request-1' }]);
  });

  it('runs a command executed inside a transaction in that transaction: it commits or rolls back with it', async () => {
    const [kept, lost] = [randomUUID(), randomUUID()];

    await transactions.run(() => commands.execute(new RecordNested(kept)), {
      cause: { causationId: 'message-1' },
    });
    await expect(
      transactions.run(async () => {
        await commands.execute(new RecordNested(lost));
        throw new Error('the handler failed');
      }),
    ).rejects.toThrow('the handler failed');

    expect(await stored(kept)).toEqual([{ key: kept, cause: 'message-1' }]);
    expect(await stored(lost)).toEqual([]);
  });

  it('runs a command once more when another transaction committed its unique key first, so it sees that row', async () => {
    const key = randomUUID();
    let arrived = 0;
    let release: () => void = () => undefined;
    const bothLookedUp = new Promise<void>((resolve) => (release = resolve));
    // Only the first run of each waits: the retry must not.
    const race = () => {
      arrived += 1;
      if (arrived === 2) release();
      return arrived <= 2 ? bothLookedUp : Promise.resolve();
    };

    const outcomes = await Promise.all([
      commands.execute(new RecordEffect(key, { causationId: 'a' }, race)),
      commands.execute(new RecordEffect(key, { causationId: 'b' }, race)),
    ]);

    expect(outcomes.sort()).toEqual(['found', 'recorded']);
    expect(await stored(key)).toHaveLength(1);
  });
});
