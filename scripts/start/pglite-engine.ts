import type { PGlite } from '@electric-sql/pglite';

interface Turn {
  readonly owner: object;
  readonly work: () => Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * PGlite is one session shared by every connection: work runs one turn at a
 * time, and while a connection has a transaction open only its turns run.
 */
export class PgliteEngine {
  private readonly turns: Turn[] = [];
  private transactionOwner: object | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  private schema: string | undefined;

  constructor(readonly db: PGlite) {}

  /** Runs `work` for `owner` when it is its turn. */
  run(owner: object, work: () => Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('the embedded PostgreSQL is closed'));
      this.turns.push({ owner, work, resolve, reject });
      this.running ??= this.pump().finally(() => (this.running = undefined));
    });
  }

  /** Points the shared session at `schema`; called at the start of a turn, never inside another's transaction. */
  async useSchema(schema: string): Promise<void> {
    if (this.schema === schema) return;
    await this.db.exec(`SET search_path TO "${schema.replaceAll('"', '""')}"`);
    this.schema = schema;
  }

  forgetSchema(): void {
    this.schema = undefined;
  }

  ownsTransaction(owner: object): boolean {
    return this.transactionOwner === owner;
  }

  /** Refuses new work, lets the turn in progress finish, then closes the database. */
  async close(): Promise<void> {
    this.closed = true;
    for (const turn of this.turns.splice(0)) turn.reject(new Error('closed'));
    await this.running;
    await this.db.close();
  }

  private async pump(): Promise<void> {
    for (;;) {
      const index = this.transactionOwner
        ? this.turns.findIndex((turn) => turn.owner === this.transactionOwner)
        : 0;
      const turn = index >= 0 ? this.turns.splice(index, 1)[0] : undefined;
      if (!turn) return;
      try {
        await turn.work();
        turn.resolve();
      } catch (error) {
        turn.reject(error);
      }
      this.transactionOwner = this.db.isInTransaction() ? turn.owner : undefined;
    }
  }
}
