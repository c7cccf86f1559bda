export interface GroupCommitSettings {
  /** Transactions open at once. */
  readonly lanes: number;
  /** Pieces of work one transaction takes at most. */
  readonly maxGroup: number;
}

/**
 * Group commit: work submitted while the database is busy waits in a queue,
 * and the next transaction takes all of it (up to `maxGroup`) at the moment
 * it has its connection. Under light load each piece runs at once, alone;
 * under load transactions grow rather than multiply, which saves a BEGIN, a
 * COMMIT, an outbox write and a WAL flush per piece.
 */
export class GroupCommit<Job> {
  private readonly queue: Job[] = [];
  private busyLanes = 0;

  /**
   * `runGroup` runs one transaction: it calls `take` once its connection is
   * ready, and must settle every job it took, whatever happens.
   */
  constructor(
    private readonly settings: GroupCommitSettings,
    private readonly runGroup: (take: () => Job[]) => Promise<void>,
  ) {}

  get waiting(): number {
    return this.queue.length;
  }

  submit(job: Job): void {
    this.queue.push(job);
    if (this.busyLanes < this.settings.lanes) void this.lane();
  }

  private async lane(): Promise<void> {
    this.busyLanes += 1;
    try {
      while (this.queue.length > 0) {
        await this.runGroup(() => this.queue.splice(0, this.settings.maxGroup));
      }
    } finally {
      this.busyLanes -= 1;
    }
  }
}
