import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivatePostgres } from '../support/private-postgres.js';
import { APPS, envName } from './deploy-support.js';

/**
 * The init script that compose and Kubernetes run on PostgreSQL's first start,
 * on a server of the test's own: each app's login reaches its own database and
 * no other.
 */
describe('one database and login per app (deploy/postgres/init)', () => {
  let postgres: PrivatePostgres;

  const as = async (user: string, database: string) => {
    const client = new pg.Client({
      connectionString: `postgres://${user}:secret-${user}@127.0.0.1:${postgres.port}/${database}`,
    });
    await client.connect();
    return client;
  };

  beforeAll(async () => {
    postgres = await PrivatePostgres.start();
    execFileSync(
      'sh',
      [resolve(import.meta.dirname, '../../deploy/postgres/init/10-app-databases.sh')],
      {
        env: {
          ...process.env,
          PGHOST: '127.0.0.1',
          PGPORT: String(postgres.port),
          POSTGRES_USER: 'postgres',
          ...Object.fromEntries(
            APPS.map((app) => [`${envName(app)}_DB_PASSWORD`, `secret-${app}`]),
          ),
        },
        stdio: 'pipe',
      },
    );
  });

  afterAll(() => postgres?.dispose());

  it.each(APPS)('lets %s create and use tables in its own database', async (app) => {
    const client = await as(app, app);
    try {
      await client.query('CREATE TABLE owned (id int PRIMARY KEY)');
      await client.query('INSERT INTO owned VALUES (1)');
      expect((await client.query('SELECT count(*)::int AS n FROM owned')).rows).toEqual([{ n: 1 }]);
    } finally {
      await client.end();
    }
  });

  it.each(APPS)("keeps %s out of every other app's database", async (app) => {
    for (const other of APPS.filter((candidate) => candidate !== app)) {
      await expect(as(app, other), `${app} → ${other}`).rejects.toThrow(/permission denied/);
    }
  });

  it.each(APPS)('gives %s no right to create databases or roles', async (app) => {
    const client = await as(app, app);
    try {
      await expect(client.query('CREATE DATABASE intruder')).rejects.toThrow(/permission denied/);
      await expect(client.query('CREATE ROLE intruder')).rejects.toThrow(/permission denied/);
    } finally {
      await client.end();
    }
  });
});
