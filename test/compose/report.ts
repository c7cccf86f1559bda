/** A check that did not hold, with a reason a reader can act on. */
export class CheckFailed extends Error {}

const started = Date.now();

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** One table line per check, printed as soon as the check ends. */
export function printRow(
  check: string,
  result: 'ok' | 'FAILED' | 'info',
  took: number,
  detail: string,
): void {
  process.stdout.write(
    `| ${pad(check, 44)} | ${pad(result, 6)} | ${pad(seconds(took), 8)} | ${detail}\n`,
  );
}

export function printHeader(): void {
  process.stdout.write(
    `| ${pad('check', 44)} | ${pad('result', 6)} | ${pad('took', 8)} | detail\n`,
  );
  process.stdout.write(`|${'-'.repeat(46)}|${'-'.repeat(8)}|${'-'.repeat(10)}|${'-'.repeat(40)}\n`);
}

/** Progress between the table lines, on stderr. */
export function progress(message: string): void {
  process.stderr.write(`[compose-test +${seconds(Date.now() - started)}] ${message}\n`);
}

/**
 * Runs one check: a table line with its result and time; a failure prints the
 * reason and ends the run.
 */
export async function check(name: string, body: () => Promise<string>): Promise<void> {
  const start = Date.now();
  try {
    const detail = await body();
    printRow(name, 'ok', Date.now() - start, detail);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    printRow(name, 'FAILED', Date.now() - start, reason.split('\n')[0] ?? '');
    throw new CheckFailed(`${name}: ${reason}`);
  }
}
