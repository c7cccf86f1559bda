/** Handlers whose quick runs take longer than this wait on something outside the database. */
export const GROUPABLE_BELOW_MS = 20;
/** How many of the latest runs the pace is judged on. */
const WINDOW = 16;
/** The share of those runs that must be quick for the handler to count as quick. */
const QUICK_SHARE = 0.25;

/**
 * Whether one consumer's handler is quick. A quick handler's messages share
 * transactions (group commit); a slow one's run alone, or each would wait for
 * the provider calls of every message grouped ahead of it.
 *
 * It is judged on its quickest recent runs, not on an average: when the
 * machine is saturated, or the process has only just started, every run takes
 * longer, and counting a quick handler as slow then would make each message
 * cost a transaction of its own just when transactions are scarcest. A
 * handler that waits on a provider is never quick, however idle the machine.
 */
export class HandlerPace {
  private readonly recent: number[] = [];
  private next = 0;

  record(durationMs: number): void {
    if (this.recent.length < WINDOW) this.recent.push(durationMs);
    else this.recent[this.next] = durationMs;
    this.next = (this.next + 1) % WINDOW;
  }

  /** Slow until it has run once. */
  get quick(): boolean {
    const quickRuns = this.recent.filter((ms) => ms < GROUPABLE_BELOW_MS).length;
    return quickRuns > 0 && quickRuns >= this.recent.length * QUICK_SHARE;
  }
}
