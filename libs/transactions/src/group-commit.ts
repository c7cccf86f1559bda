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
  /** Work that continues what the system already accepted (messages): taken first. */
  private readonly ongoing: Job[] = [];
  /** Work that brings more in (a new request). */
  private readonly incoming: Job[] = [];
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
    return this.ongoing.length + this.incoming.length;
  }

  /**
   * Queues a job. Ongoing work goes ahead of incoming work: under load the
   * system finishes what it started before it takes more, so a burst of new
   * requests slows their own acceptance rather than everything in flight.
   */
  submit(job: Job, kind: 'ongoing' | 'incoming'): void {
    (kind === 'ongoing' ? this.ongoing : this.incoming).push(job);
    if (this.busyLanes < this.settings.lanes) void this.lane();
  }

  private async lane(): Promise<void> {
    this.busyLanes += 1;
    try {
      while (this.waiting > 0) await this.runGroup(() => this.take());
    } finally {
      this.busyLanes -= 1;
    }
  }

  private take(): Job[] {
    const group = this.ongoing.splice(0, this.settings.maxGroup);
    return group.concat(this.incoming.splice(0, this.settings.maxGroup - group.length));
  }
}
