import { randomBytes } from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TEST_NAME = /_test_[0-9a-f]+$/;

/**
 * A database of the test's own, named so that nobody can mistake it for a real
 * one; the guard refuses to touch any other.
 */
export class TestDatabase {
  private readonly pool: pg.Pool;

  private constructor(
    readonly name: string,
    private readonly adminUrl: string = ADMIN_URL,
  ) {
    this.pool = new pg.Pool({ connectionString: this.url, max: 4 });
    // A server restarted under the test ends the pool's sessions; the next query opens new ones.
    this.pool.on('error', () => undefined);
  }

  get url(): string {
    const url = new URL(this.adminUrl);
    url.pathname = `/${this.name}`;
    return url.toString();
  }

  static async create(prefix: string): Promise<TestDatabase> {
    const name = `${prefix}_test_${randomBytes(4).toString('hex')}`;
    await admin(`CREATE DATABASE "${guard(name)}"`);
    return new TestDatabase(name);
  }

  /** For a database an app creates itself at start-up; the name is reserved here. */
  static reserve(prefix: string, adminUrl: string = ADMIN_URL): TestDatabase {
    return new TestDatabase(`${prefix}_test_${randomBytes(4).toString('hex')}`, adminUrl);
  }

  async query<R extends pg.QueryResultRow = Record<string, unknown>>(
    sql: string,
    values: unknown[] = [],
  ): Promise<R[]> {
    return (await this.pool.query<R>(sql, values)).rows;
  }

  async drop(): Promise<void> {
    await this.pool.end();
    await admin(`DROP DATABASE IF EXISTS "${guard(this.name)}" WITH (FORCE)`, this.adminUrl);
  }
}

function guard(name: string): string {
  if (!TEST_NAME.test(name)) throw new Error(`refusing to touch "${name}": not a test database`);
  return name;
}

async function admin(sql: string, adminUrl: string = ADMIN_URL): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
