/** A start-up problem a newcomer can fix: printed as one line that says what to do. */
export class LaunchError extends Error {}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
