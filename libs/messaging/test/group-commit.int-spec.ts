import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagingMigrations, UnitOfWork } from '@app/messaging';
import { MigratedDatabase } from '../../../test/support/migrated-database.js';

/** Group commit on a real PostgreSQL: what shares a transaction, and what a failure in one costs the others. */
describe('UnitOfWork group commit', () => {
  let db: MigratedDatabase;
  let unitOfWork: UnitOfWork;

  beforeAll(async () => {
    db = await MigratedDatabase.create('group_commit', {
      migrations: messagingMigrations,
    });
    await db.dataSource.query(
      'CREATE TABLE effects (id text PRIMARY KEY, transaction_id bigint NOT NULL, cause text)',
    );
    // One lane: whatever is submitted while it waits for its connection joins one group.
    unitOfWork = new UnitOfWork(db.dataSource, { transactionLanes: 1, transactionGroupSize: 32 });
  });

  afterAll(() => db?.dispose());

  /** Records an effect of the current transaction, with the cause the unit of work gives it. */
  async function recordEffect(id: string): Promise<void> {
    const connection = await unitOfWork.connection();
    await connection.query(
      'INSERT INTO effects (id, transaction_id, cause) VALUES ($1, txid_current(), $2)',
      [id, unitOfWork.cause?.causationId ?? null],
    );
  }

  async function effects(ids: string[]) {
    const rows: Array<{ id: string; transaction_id: string; cause: string | null }> =
      await db.dataSource.query('SELECT * FROM effects WHERE id = ANY($1) ORDER BY id', [ids]);
    return rows;
  }

  function ids(count: number): string[] {
    return Array.from({ length: count }, (_, index) => `${index}-${randomUUID()}`);
  }

  it('commits work submitted together in one transaction, each piece with its own cause', async () => {
    const names = ids(5);

    await Promise.all(
      names.map((id) =>
        unitOfWork.runGrouped(() => recordEffect(id), { causationId: `cause-${id}` }),
      ),
    );

    const rows = await effects(names);
    expect(rows.map((row) => row.cause)).toEqual(names.map((id) => `cause-${id}`));
    expect(new Set(rows.map((row) => row.transaction_id)).size).toBe(1);
  });

  it('keeps a failing piece from failing the others: they commit alone, its effects roll back', async () => {
    const names = ids(5);
    const committed: string[] = [];

    const outcomes = await Promise.allSettled(
      names.map((id, index) =>
        unitOfWork.runGrouped(async () => {
          await recordEffect(id);
          unitOfWork.afterCommit(() => committed.push(id));
          if (index === 2) throw new Error('card expired');
        }),
      ),
    );

    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect((outcomes[2] as PromiseRejectedResult).reason).toEqual(new Error('card expired'));
    const expected = names.filter((_, index) => index !== 2);
    const rows = await effects(names);
    expect(rows.map((row) => row.id)).toEqual(expected);
    expect(new Set(rows.map((row) => row.transaction_id)).size).toBe(4);
    expect(committed.sort()).toEqual(expected);
  });

  it('handles a message once per consumer, even when it comes twice in one transaction', async () => {
    const entry = { consumer: 'probe', messageId: randomUUID(), messageType: 'Probe' };
    const other = { ...entry, messageId: randomUUID() };
    const handled: string[] = [];
    const handle = (id: string) => async () => {
      handled.push(id);
    };

    const firsts = await Promise.all([
      unitOfWork.runOnce(entry, handle(entry.messageId), { shared: true }),
      unitOfWork.runOnce(entry, handle(entry.messageId), { shared: true }),
      unitOfWork.runOnce(other, handle(other.messageId), { shared: true }),
    ]);
    const later = await unitOfWork.runOnce(entry, handle(entry.messageId), { shared: false });

    expect(firsts).toEqual([true, false, true]);
    expect(later).toBe(false);
    expect(handled).toEqual([entry.messageId, other.messageId]);
  });

  it('reads ahead what the work registered, for the orders of every message in the transaction', async () => {
    const reading = new UnitOfWork(db.dataSource, {
      transactionLanes: 1,
      transactionGroupSize: 32,
    });
    const owner = {};
    reading.readAhead(owner, (orders) => ({
      text: 'SELECT unnest($1::text[]) AS order_id, txid_current()::text AS transaction_id',
      values: [orders],
    }));
    const orders = [randomUUID(), randomUUID(), randomUUID()];
    const seen: Array<{ rows: unknown[]; again: unknown; transactionId: string }> = [];

    await Promise.all(
      orders.map((order) =>
        reading.runOnce(
          { consumer: 'probe', messageId: randomUUID(), messageType: 'Probe' },
          async () => {
            const ahead = reading.takeReadAhead<{ order_id: string; transaction_id: string }>(
              owner,
            );
            const { rows } = await (
              await reading.connection()
            ).query<{ id: string }>('SELECT txid_current()::text AS id');
            seen.push({
              rows: ahead ? (await ahead).rows : [],
              again: reading.takeReadAhead(owner),
              transactionId: rows[0]!.id,
            });
          },
          { cause: { causationId: order, correlationId: order }, shared: true },
        ),
      ),
    );

    // The first piece of work took it, read in the same transaction; the others find it taken.
    const [first, ...others] = seen;
    expect(first!.rows).toEqual(
      [...orders]
        .sort()
        .map((order) => ({ order_id: order, transaction_id: first!.transactionId })),
    );
    expect(first!.again).toBeUndefined();
    expect(others.map((other) => other.rows)).toEqual([[], []]);
    expect(new Set(seen.map((piece) => piece.transactionId)).size).toBe(1);
  });

  it('reads nothing ahead for work that handles no message, such as placing a new order', async () => {
    const reading = new UnitOfWork(db.dataSource, {
      transactionLanes: 1,
      transactionGroupSize: 32,
    });
    const owner = {};
    reading.readAhead(owner, () => ({ text: 'SELECT 1' }));
    const place = () => {
      const order = randomUUID();
      return reading.runGrouped(async () => reading.takeReadAhead(owner), {
        causationId: randomUUID(),
        correlationId: order,
      });
    };

    const alone = await place();
    const together = await Promise.all([place(), place(), place()]);

    expect([alone, ...together]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('runs each piece in the async context of whoever submitted it', async () => {
    const request = new AsyncLocalStorage<string>();
    const seen = await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        request.run(name, () => unitOfWork.runGrouped(async () => request.getStore())),
      ),
    );

    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('writes what the pieces of a transaction gathered once, in it, just before it commits', async () => {
    const names = ids(4);
    const owner = {};
    const writes: Array<{ gathered: string[]; transactionId: string }> = [];
    const gather = (id: string) =>
      unitOfWork
        .gathered(
          owner,
          (): string[] => [],
          (gathered) => ({
            query: { text: 'SELECT txid_current()::text AS id' },
            answered: ({ rows }) =>
              writes.push({
                gathered: [...gathered],
                transactionId: (rows[0] as { id: string }).id,
              }),
          }),
        )
        .push(id);

    await Promise.all(
      names.map((id) =>
        unitOfWork.runGrouped(async () => {
          await recordEffect(id);
          gather(id);
        }),
      ),
    );

    const [effect] = await effects(names);
    expect(writes).toEqual([{ gathered: names, transactionId: effect!.transaction_id }]);
  });
});
