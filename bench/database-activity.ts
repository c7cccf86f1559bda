import { APPS } from './options.js';
import type { BenchSystem } from './system.js';

export interface DatabaseActivity {
  readonly app: string;
  readonly commits: number;
  readonly rollbacks: number;
  readonly inserted: number;
  readonly updated: number;
  readonly deleted: number;
  /** Rows read by index or sequential scans. */
  readonly fetched: number;
}

export async function databaseActivity(system: BenchSystem): Promise<DatabaseActivity[]> {
  // The statistics collector publishes a backend's counts up to a second after its commits.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const names = new Map(APPS.map((app) => [system.databases[app].name, app]));
  const rows = await system.databases.orders.query<Record<string, string>>(
    `SELECT datname, xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted, tup_fetched
     FROM pg_stat_database WHERE datname = ANY($1)`,
    [[...names.keys()]],
  );
  return rows.map((row) => ({
    app: names.get(row.datname ?? '') ?? String(row.datname),
    commits: Number(row.xact_commit),
    rollbacks: Number(row.xact_rollback),
    inserted: Number(row.tup_inserted),
    updated: Number(row.tup_updated),
    deleted: Number(row.tup_deleted),
    fetched: Number(row.tup_fetched),
  }));
}

export function activitySince(
  before: readonly DatabaseActivity[],
  after: readonly DatabaseActivity[],
): DatabaseActivity[] {
  return after.map((end) => {
    const start = before.find((row) => row.app === end.app);
    return {
      app: end.app,
      commits: end.commits - (start?.commits ?? 0),
      rollbacks: end.rollbacks - (start?.rollbacks ?? 0),
      inserted: end.inserted - (start?.inserted ?? 0),
      updated: end.updated - (start?.updated ?? 0),
      deleted: end.deleted - (start?.deleted ?? 0),
      fetched: end.fetched - (start?.fetched ?? 0),
    };
  });
}
