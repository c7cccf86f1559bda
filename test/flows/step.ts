/** A step of a flow that did not happen within its bound: the message names it. */
export class StepNotReached extends Error {
  override name = 'StepNotReached';
}

/**
 * Waits for one step of a flow: `probe` answers once the step happened and
 * throws while it has not, saying what it saw. A probe that keeps throwing
 * past `timeoutMs` fails the flow with the step's name and the last thing seen.
 */
export async function step<T>(
  name: string,
  timeoutMs: number,
  probe: () => Promise<T>,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() >= deadline) {
        const seen = error instanceof Error ? error.message : String(error);
        throw new StepNotReached(
          `step "${name}" did not happen within ${seconds(timeoutMs)}; last seen: ${seen}`,
        );
      }
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
