import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PIPELINED_CONNECTIONS, type Statement } from '@app/transactions';
import { inTransaction } from '../src/pg-transaction.js';
import { TestDatabase } from '../../../test/support/test-database.js';

const insert = (id: string): Statement => ({
  query: { text: 'INSERT INTO items (id) VALUES ($1)', values: [id] },
});

/** A transaction's statements on a real PostgreSQL, sent as the apps send them. */
describe.each([
  { connection: 'pipelined', options: PIPELINED_CONNECTIONS },
  { connection: 'not pipelined', options: {} },
])('inTransaction on a connection $connection', ({ options }) => {
  let db: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    db = await TestDatabase.create('pg_transaction');
    await db.query('CREATE TABLE items (id text PRIMARY KEY)');
  });
  afterAll(() => db?.drop());

  beforeEach(async () => {
    await db.query('TRUNCATE items');
    client = new pg.Client({ connectionString: db.url, ...options });
    await client.connect();
  });
  afterEach(() => client.end());

  const stored = async () =>
    (await db.query<{ id: string }>('SELECT id FROM items')).map((row) => row.id).sort();

  it('commits the work and the last statements together', async () => {
    const answered: number[] = [];
    const value = await inTransaction(
      client,
      async (connection) => {
        await connection.query(insert('a').query);
        return 'done';
      },
      () => [
        insert('b'),
        { ...insert('c'), answered: (result) => answered.push(result.rowCount ?? 0) },
      ],
    );

    expect(value).toBe('done');
    expect(answered).toEqual([1]);
    expect(await stored()).toEqual(['a', 'b', 'c']);
  });

  it('commits nothing when a statement sent with COMMIT fails', async () => {
    const failing = inTransaction(
      client,
      async (connection) => {
        await connection.query(insert('a').query);
      },
      () => [insert('b'), insert('a')],
    );

    await expect(failing).rejects.toThrow(/duplicate key/);
    expect(await stored()).toEqual([]);
    // The connection is usable again, outside any transaction.
    await client.query(insert('d').query);
    expect(await stored()).toEqual(['d']);
  });

  it('commits nothing when the work fails', async () => {
    const failing = inTransaction(
      client,
      async (connection) => {
        await connection.query(insert('a').query);
        throw new Error('the work failed');
      },
      () => [insert('b')],
    );

    await expect(failing).rejects.toThrow('the work failed');
    expect(await stored()).toEqual([]);
  });
});

describe('inTransaction on a pipelined connection', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await TestDatabase.create('pg_pipeline');
    await db.query('CREATE TABLE items (id text PRIMARY KEY)');
  });
  afterAll(() => db?.drop());

  it('sends BEGIN with the first statement, and the last statements with COMMIT', async () => {
    const client = new pg.Client({ connectionString: db.url, ...PIPELINED_CONNECTIONS });
    await client.connect();
    const socket = (client as unknown as { connection: { stream: NodeJS.WritableStream } })
      .connection.stream as unknown as { _writev: Function; _write: Function };
    let flights = 0;
    for (const method of ['_writev', '_write'] as const) {
      const original = socket[method];
      socket[method] = function (this: unknown, ...args: unknown[]) {
        flights += 1;
        return original.apply(this, args);
      };
    }
    let flightsOfTheTransaction: number;
    try {
      await inTransaction(
        client,
        async (connection) => {
          await connection.query(insert('a').query);
          await connection.query(insert('b').query);
        },
        () => [insert('c'), insert('d')],
      );
      flightsOfTheTransaction = flights;
    } finally {
      await client.end();
    }

    // BEGIN + a, then b, then c + d + COMMIT.
    expect(flightsOfTheTransaction).toBe(3);
  });
});
