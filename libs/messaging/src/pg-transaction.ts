import type pg from 'pg';
import type { DataSource } from 'typeorm';

/** The pool TypeORM opened for this data source: one pool, one connection limit, for both. */
export function poolOf(dataSource: DataSource): pg.Pool {
  const pool = (dataSource.driver as unknown as { master?: pg.Pool }).master;
  if (!pool) throw new Error('the database is not connected');
  return pool;
}

/** A connection that could not even roll back must not serve another transaction. */
const failedRollbacks = new WeakMap<pg.ClientBase, Error>();

/**
 * Runs `work` with a connection of its own from the pool, and gives it back.
 * A connection lost while checked out neither crashes the process nor goes
 * back to the pool.
 */
export async function withPoolConnection<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
  try {
    return await work(client);
  } finally {
    client.removeListener('error', onError);
    client.release(broken ?? failedRollbacks.get(client));
  }
}

/** BEGIN, the work, COMMIT; or ROLLBACK when the work fails. */
export async function inTransaction<T>(
  client: pg.ClientBase,
  work: (client: pg.ClientBase) => Promise<T>,
): Promise<T> {
  await client.query('BEGIN');
  try {
    const value = await work(client);
    await client.query('COMMIT');
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch((failure: Error) => failedRollbacks.set(client, failure));
    throw error;
  }
}

/** Runs `work` in a transaction on a connection of its own. */
export function inPgTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.ClientBase) => Promise<T>,
): Promise<T> {
  return withPoolConnection(pool, (client) => inTransaction(client, work));
}

/** Why `client` can no longer run a transaction (its ROLLBACK failed), if it cannot. */
export function brokenBy(client: pg.ClientBase): Error | undefined {
  return failedRollbacks.get(client);
}
