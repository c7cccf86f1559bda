/** Handlers slower than this, on average, wait on something outside the database. */
export const GROUPABLE_BELOW_MS = 20;
/** Runs seen before a handler counts as quick. */
const SAMPLES_NEEDED = 5;
/** Weight of the newest run in the moving average. */
const WEIGHT = 0.1;

/**
 * How long one consumer's handler usually takes. A quick handler's messages
 * share transactions (group commit); a slow one's run alone, or each would
 * wait for the provider calls of every message grouped ahead of it. A handler
 * counts as slow until it has shown otherwise.
 */
export class HandlerPace {
  private average = 0;
  private samples = 0;

  record(durationMs: number): void {
    this.average =
      this.samples === 0 ? durationMs : this.average + WEIGHT * (durationMs - this.average);
    this.samples += 1;
  }

  get quick(): boolean {
    return this.samples >= SAMPLES_NEEDED && this.average < GROUPABLE_BELOW_MS;
  }
}
