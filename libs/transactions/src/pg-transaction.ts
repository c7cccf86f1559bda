import type pg from 'pg';
import type { DataSource } from 'typeorm';

/** The pool TypeORM opened for this data source: one pool, one connection limit, for both. */
export function poolOf(dataSource: DataSource): pg.Pool {
  const pool = (dataSource.driver as unknown as { master?: pg.Pool }).master;
  if (!pool) throw new Error('the database is not connected');
  return pool;
}

/**
 * The pool options every app's connections share. In pipeline mode a
 * statement goes out without waiting for the answer to the one before it:
 * BEGIN travels with a transaction's first statement, and its last writes
 * with COMMIT, which saves the database and the app a wake-up each.
 */
export const PIPELINED_CONNECTIONS = { pipeline: true } as const;

/** A statement and, when its answer matters, what to do with it. */
export interface Statement {
  readonly query: pg.QueryConfig;
  /** Called with the statement's result once it has run, before COMMIT is answered. */
  readonly answered?: (result: pg.QueryResult) => void;
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

/**
 * BEGIN, the work, the statements `last` returns once the work is done, and
 * COMMIT; or ROLLBACK when any of them fails. On a pipelined connection BEGIN
 * leaves with the work's first statement and the last statements with
 * COMMIT. If one of those fails, the database turns the COMMIT behind it into
 * a rollback: nothing commits unless every statement succeeded.
 */
export async function inTransaction<T>(
  client: pg.ClientBase,
  work: (client: pg.ClientBase) => Promise<T>,
  last: () => readonly Statement[] = () => [],
): Promise<T> {
  const socket = pipelinedSocket(client);
  let begun: Promise<unknown>;
  if (socket) {
    // Held back until the work has sent its first statement, or given up the event loop.
    socket.cork();
    setImmediate(() => socket.uncork());
    begun = client.query('BEGIN');
    // Awaited below; until then a failure must not count as unhandled.
    begun.catch(() => undefined);
  } else {
    begun = client.query('BEGIN');
    await begun;
  }
  try {
    const value = await work(client);
    await begun;
    await sendInOrder(client, socket, [...last(), { query: { text: 'COMMIT' } }]);
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch((failure: Error) => failedRollbacks.set(client, failure));
    throw error;
  }
}

/** Why `client` can no longer run a transaction (its ROLLBACK failed), if it cannot. */
export function brokenBy(client: pg.ClientBase): Error | undefined {
  return failedRollbacks.get(client);
}

interface Socket {
  cork(): void;
  uncork(): void;
}

/** Whether statements sent on `client` leave without waiting for the answers to those before. */
export function isPipelined(client: pg.ClientBase): boolean {
  return pipelinedSocket(client) !== undefined;
}

/** The socket of a connection in pipeline mode; undefined for any other. */
function pipelinedSocket(client: pg.ClientBase): Socket | undefined {
  const { pipeline, connection } = client as unknown as {
    readonly pipeline?: boolean;
    readonly connection?: { readonly stream?: Socket };
  };
  return pipeline ? connection?.stream : undefined;
}

/**
 * Runs the statements in order; resolves once all have succeeded. Pipelined,
 * they leave in one write and each runs whatever became of the one before
 * (inside a transaction, a failure fails those after it); otherwise each
 * waits for the one before, and none runs after a failure.
 */
async function sendInOrder(
  client: pg.ClientBase,
  socket: Socket | undefined,
  statements: readonly Statement[],
): Promise<void> {
  const run = async ({ query, answered }: Statement) => {
    const result = await client.query(query);
    answered?.(result);
  };
  if (!socket) {
    for (const statement of statements) await run(statement);
    return;
  }
  socket.cork();
  let sent: Array<Promise<void>>;
  try {
    sent = statements.map(run);
  } finally {
    socket.uncork();
  }
  await Promise.all(sent);
}
