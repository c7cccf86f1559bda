import type pg from 'pg';
import type { DataSource } from 'typeorm';

/** The pool TypeORM opened for this data source: one pool, one connection limit, for both. */
export function poolOf(dataSource: DataSource): pg.Pool {
  const pool = (dataSource.driver as unknown as { master?: pg.Pool }).master;
  if (!pool) throw new Error('the database is not connected');
  return pool;
}

/**
 * Runs `work` in a transaction on a connection of its own: BEGIN, the work,
 * COMMIT, or ROLLBACK when the work fails.
 */
export async function inPgTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  // A connection lost while checked out must not crash the process, nor go back to the pool.
  let broken: Error | undefined;
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const value = await work(client);
    await client.query('COMMIT');
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch((failure: Error) => (broken ??= failure));
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}
