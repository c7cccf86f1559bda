import pg from 'pg';

/** An operator's long transaction holding `table` in ACCESS EXCLUSIVE mode until released. */
export async function lockTable(
  url: string,
  table: string,
): Promise<{ release: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  return {
    release: async () => {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}
