import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { batchedWrite, column, insertInto, updateEach } from './batched-write.js';
import { lastStatements, openTransaction } from './transaction.js';

interface Item {
  readonly id: string;
  readonly tags: readonly string[];
  readonly price: number;
}

const items: Item[] = [
  { id: 'a', tags: ['x'], price: 1 },
  { id: 'b', tags: [], price: 2 },
];

describe('batched writes', () => {
  it('inserts the gathered rows in the order they were added, one array per column', () => {
    const ITEMS = insertInto<Item>(
      'items',
      {
        id: column('uuid', (item) => item.id),
        tags: column('jsonb', (item) => item.tags),
        price: column('bigint', (item) => item.price),
      },
      { onConflict: '(id) DO NOTHING', returning: 'id' },
    );

    const { query } = ITEMS.statement(items);

    expect(query.text).toBe(
      'INSERT INTO items (id, tags, price) SELECT id, tags, price FROM ' +
        'unnest($1::uuid[], $2::jsonb[], $3::bigint[]) WITH ORDINALITY AS rows(id, tags, price, position) ' +
        'ORDER BY position ON CONFLICT (id) DO NOTHING RETURNING id',
    );
    expect(query.values).toEqual([
      ['a', 'b'],
      ['["x"]', '[]'],
      [1, 2],
    ]);
    expect(query.name).toBe('insert-items');
  });

  it('updates each key once, with the last row added for it', () => {
    const PRICES = updateEach<Item>('items', 'id', {
      id: column('uuid', (item) => item.id),
      price: column('bigint', (item) => item.price),
    });

    const { query } = PRICES.statement([...items, { id: 'a', tags: [], price: 9 }]);

    expect(query.text).toBe(
      'UPDATE items SET price = rows.price FROM ' +
        'unnest($1::uuid[], $2::bigint[]) WITH ORDINALITY AS rows(id, price, position) ' +
        'WHERE items.id = rows.id',
    );
    expect(query.values).toEqual([
      ['a', 'b'],
      [9, 2],
    ]);
    expect(query.name).toBeUndefined();
  });

  it('refuses an update whose key is not one of its columns', () => {
    expect(() =>
      updateEach<Item>('items', 'id', { price: column('bigint', (i) => i.price) }),
    ).toThrow('the key id is not a column');
  });

  it("sends a transaction's batches in the order they were declared, whatever order its work used them in", () => {
    const first = batchedWrite<Item>({ id: column('uuid', (i) => i.id) }, () => 'first');
    const second = batchedWrite<Item>({ id: column('uuid', (i) => i.id) }, () => 'second');
    const transaction = openTransaction(new pg.Client(), []);
    transaction.batches.set(second, items);
    transaction.batches.set(first, items);

    expect(lastStatements(transaction).map(({ query }) => query.text)).toEqual(['first', 'second']);
  });

  it('gives the statement its answer with the rows it wrote', () => {
    const answers: Array<readonly Item[]> = [];
    const ANSWERED = batchedWrite<Item>(
      { id: column('uuid', (item) => item.id) },
      (rows) => `SELECT id FROM ${rows}`,
      { answered: (_result, rows) => answers.push(rows) },
    );

    ANSWERED.statement(items).answered?.({
      command: 'SELECT',
      rowCount: 0,
      oid: 0,
      fields: [],
      rows: [],
    });

    expect(answers).toEqual([items]);
  });
});

describe('batched writes, plainly', () => {
  it('inserts without conflict handling or returned columns when none are asked for, and waits for no answer', () => {
    const PLAIN = insertInto<Item>('items', { id: column('uuid', (item) => item.id) });

    const statement = PLAIN.statement(items);

    expect(statement.query.text).toBe(
      'INSERT INTO items (id) SELECT id FROM ' +
        'unnest($1::uuid[]) WITH ORDINALITY AS rows(id, position) ORDER BY position',
    );
    expect(statement.answered).toBeUndefined();
  });
});

describe('batched updates', () => {
  it('sets every column but the key', () => {
    const ITEMS = updateEach<Item>('items', 'id', {
      id: column('uuid', (item) => item.id),
      tags: column('jsonb', (item) => item.tags),
      price: column('bigint', (item) => item.price),
    });

    expect(ITEMS.statement(items).query.text).toMatch(
      /^UPDATE items SET tags = rows\.tags, price = rows\.price FROM /,
    );
  });
});
