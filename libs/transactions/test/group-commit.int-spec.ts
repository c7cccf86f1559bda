import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  batchedWrite,
  column,
  readAhead,
  type OnceClaimer,
  type Transactions,
  type UnitOfWork,
} from '@app/transactions';
import { MigratedDatabase } from '../../../test/support/migrated-database.js';

/** Claims keys in a table of its own, as the messaging inbox claims messages. */
const claims: OnceClaimer<string> = {
  async claim(connection, key) {
    const { rowCount } = await connection.query({
      text: 'INSERT INTO claims (key) VALUES ($1) ON CONFLICT DO NOTHING',
      values: [key],
    });
    return rowCount === 1;
  },
  async claimAll(connection, keys) {
    const { rows } = await connection.query<{ key: string }>({
      text: 'INSERT INTO claims (key) SELECT DISTINCT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING key',
      values: [keys],
    });
    const claimed = new Set(rows.map((row) => row.key));
    return keys.map((key) => claimed.delete(key));
  },
};

/** Group commit on a real PostgreSQL: what shares a transaction, and what a failure in one costs the others. */
describe('Transactions group commit', () => {
  let db: MigratedDatabase;
  let transactions: Transactions;
  let unitOfWork: UnitOfWork;

  beforeAll(async () => {
    db = await MigratedDatabase.create('group_commit', { migrations: [] });
    await db.dataSource.query(
      'CREATE TABLE effects (id text PRIMARY KEY, transaction_id bigint NOT NULL, cause text)',
    );
    await db.dataSource.query('CREATE TABLE claims (key text PRIMARY KEY)');
    // One lane: whatever is submitted while it waits for its connection joins one group.
    ({ transactions, unitOfWork } = db.transactions({ lanes: 1, maxGroup: 32 }));
  });

  afterAll(() => db?.dispose());

  /** Records an effect of the current transaction, with the cause the unit of work gives it. */
  async function recordEffect(id: string): Promise<void> {
    await unitOfWork.query({
      text: 'INSERT INTO effects (id, transaction_id, cause) VALUES ($1, txid_current(), $2)',
      values: [id, unitOfWork.cause?.causationId ?? null],
    });
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
        transactions.run(() => recordEffect(id), {
          cause: { causationId: `cause-${id}` },
          grouped: true,
        }),
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
        transactions.run(
          async () => {
            await recordEffect(id);
            unitOfWork.afterCommit(() => committed.push(id));
            if (index === 2) throw new Error('card expired');
          },
          { grouped: true },
        ),
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

  it('fails every piece at once when a lock timeout failed them together, rather than letting each wait for the lock again alone', async () => {
    const lockTimeoutMs = 300;
    const names = ids(5);
    const locker = await db.dataSource.createQueryRunner();
    await locker.connect();
    await locker.startTransaction();
    await locker.query('LOCK TABLE effects IN ACCESS EXCLUSIVE MODE');
    try {
      const started = Date.now();
      const outcomes = await Promise.allSettled(
        names.map((id) =>
          transactions.run(
            async () => {
              await unitOfWork.query({ text: `SET LOCAL lock_timeout = ${lockTimeoutMs}` });
              await recordEffect(id);
            },
            { grouped: true },
          ),
        ),
      );
      const tookMs = Date.now() - started;

      expect(outcomes.map((outcome) => outcome.status)).toEqual(names.map(() => 'rejected'));
      expect((outcomes[0] as PromiseRejectedResult).reason).toMatchObject({ code: '55P03' });
      // One wait for the lock, not one more for each piece.
      expect(tookMs).toBeLessThan(3 * lockTimeoutMs);
    } finally {
      await locker.rollbackTransaction();
      await locker.release();
    }
    expect(await effects(names)).toEqual([]);
  });

  it('runs work to be run once only in the first transaction to claim it, even when it comes twice in one', async () => {
    const key = randomUUID();
    const other = randomUUID();
    const handled: string[] = [];
    const once = (id: string) => ({ claimer: claims, key: id });
    const handle = (id: string) => async () => {
      handled.push(id);
    };

    const firsts = await Promise.all([
      transactions.runOnce(once(key), handle(key), { shared: true }),
      transactions.runOnce(once(key), handle(key), { shared: true }),
      transactions.runOnce(once(other), handle(other), { shared: true }),
    ]);
    const later = await transactions.runOnce(once(key), handle(key), { shared: false });

    expect(firsts).toEqual([true, false, true]);
    expect(later).toBe(false);
    expect(handled).toEqual([key, other]);
  });

  it('reads ahead, with the first statements, what the work asked for before, for the ids of every piece of work in the transaction', async () => {
    const ORDERS = readAhead<{ order_id: string; transaction_id: string }>((ids) => ({
      text: 'SELECT unnest($1::text[]) AS order_id, txid_current()::text AS transaction_id',
      values: [ids],
    }));
    // A first transaction asks for it: from then on it is read ahead.
    const warmUp = randomUUID();
    await transactions.runOnce(
      { claimer: claims, key: randomUUID() },
      async () => {
        await unitOfWork.read(ORDERS, warmUp);
      },
      { cause: { causationId: warmUp, correlationId: warmUp }, shared: false },
    );
    const orders = [randomUUID(), randomUUID(), randomUUID()];
    const seen: Array<{ rows: unknown[]; again: unknown[]; transactionId: string }> = [];

    await Promise.all(
      orders.map((order) =>
        transactions.runOnce(
          { claimer: claims, key: randomUUID() },
          async () => {
            const rows = await unitOfWork.read(ORDERS, order);
            const { rows: current } = await unitOfWork.query<{ id: string }>({
              text: 'SELECT txid_current()::text AS id',
            });
            seen.push({
              rows,
              again: await unitOfWork.read(ORDERS, order),
              transactionId: current[0]!.id,
            });
          },
          { cause: { causationId: order, correlationId: order }, shared: true },
        ),
      ),
    );

    // The first piece of work took every row, read in the same transaction; the others had theirs already.
    const [first, ...others] = seen;
    expect(first!.rows).toEqual(
      [...orders]
        .sort()
        .map((order) => ({ order_id: order, transaction_id: first!.transactionId })),
    );
    expect(first!.again).toEqual([]);
    expect(others.map((other) => other.rows)).toEqual([[], []]);
    expect(new Set(seen.map((piece) => piece.transactionId)).size).toBe(1);
  });

  it('reads an id not read ahead when the work asks for it, with the ids of the transaction not read yet', async () => {
    const ORDERS = readAhead<{ order_id: string }>((ids) => ({
      text: 'SELECT unnest($1::text[]) AS order_id',
      values: [ids],
    }));
    const [mine, other] = [randomUUID(), randomUUID()].sort();

    const rows = await transactions.run(
      async () => [await unitOfWork.read(ORDERS, other!), await unitOfWork.read(ORDERS, mine!)],
      { cause: { causationId: randomUUID(), correlationId: mine } },
    );

    expect(rows).toEqual([[{ order_id: mine }, { order_id: other }], []]);
  });

  it('reads nothing ahead for work that handles no message, such as placing a new order', async () => {
    let read = 0;
    const COUNTED = readAhead<{ one: number }>(() => {
      read += 1;
      return { text: 'SELECT 1 AS one' };
    });
    const place = () => {
      const order = randomUUID();
      return transactions.run(async () => read, {
        cause: { causationId: randomUUID(), correlationId: order },
        grouped: true,
      });
    };
    // Asked for once, so that the next transactions would send it if they read ahead.
    await transactions.run(async () => unitOfWork.read(COUNTED, randomUUID()));
    const before = read;

    await place();
    await Promise.all([place(), place(), place()]);

    expect(read).toBe(before);
  });

  it('runs each piece in the async context of whoever submitted it', async () => {
    const request = new AsyncLocalStorage<string>();
    const seen = await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        request.run(name, () =>
          transactions.run(async () => request.getStore(), { grouped: true }),
        ),
      ),
    );

    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('writes the rows the pieces of a transaction gathered in one statement per batch, in it, with its COMMIT', async () => {
    const names = ids(4);
    const writes: Array<{ gathered: string[]; transactionId: string }> = [];
    const GATHERED = batchedWrite<string>(
      { name: column('text', (name) => name) },
      (rows) =>
        `SELECT array_agg(name ORDER BY position) AS names, txid_current()::text AS id FROM ${rows}`,
      {
        answered: ({ rows }) => {
          const [row] = rows as Array<{ names: string[]; id: string }>;
          writes.push({ gathered: row!.names, transactionId: row!.id });
        },
      },
    );

    await Promise.all(
      names.map((id) =>
        transactions.run(
          async () => {
            await recordEffect(id);
            unitOfWork.write(GATHERED, id);
          },
          { grouped: true },
        ),
      ),
    );

    const [effect] = await effects(names);
    expect(writes).toEqual([{ gathered: names, transactionId: effect!.transaction_id }]);
  });

  it('refuses a cause for work started inside a transaction: the work keeps the cause of the transaction it joins', async () => {
    const seen = await transactions.run(
      async () => {
        await expect(
          transactions.run(async () => undefined, { cause: { causationId: 'inner' } }),
        ).rejects.toThrow('keeps its cause');
        return transactions.run(async () => unitOfWork.cause?.causationId);
      },
      { cause: { causationId: 'outer' } },
    );

    expect(seen).toBe('outer');
  });
});
