import { setTimeout as sleep } from 'node:timers/promises';
import type { NatsDeployment, Platform } from '../e2e/platform.js';
import type { SteadyLoad } from './steady-load.js';
import { allReady, judge, type JudgeOptions, type Verdict } from './verdict.js';

/** How long the platform gets, after a repair, to end every order. */
export const SETTLE_MS = 120_000;

/**
 * Seconds from the repair until every replica is ready again and every order
 * accepted before the repair has ended: the time the platform needed to catch up.
 */
export async function recoverySeconds(
  platform: Platform<NatsDeployment>,
  load: SteadyLoad,
  judging: JudgeOptions = {},
): Promise<number> {
  const repairedAt = Date.now();
  const before = load.accepted.slice();
  const deadline = repairedAt + SETTLE_MS;
  while (Date.now() < deadline) {
    if (
      (await allReady(platform)) &&
      (await judge(platform, before, { ...judging, deadLetters: false })).terminal === before.length
    ) {
      break;
    }
    await sleep(200);
  }
  return (Date.now() - repairedAt) / 1_000;
}

/**
 * Waits until every replica is ready and every accepted order is settled (or,
 * where the fault destroys messages, `mayLose`, has ended), or SETTLE_MS passed.
 */
export async function settled(
  platform: Platform<NatsDeployment>,
  load: SteadyLoad,
  judging: JudgeOptions = { deadLetters: true },
  mayLose = false,
): Promise<Verdict> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const ready = await allReady(platform);
    const verdict = ready ? await judge(platform, load.accepted, judging) : undefined;
    if (verdict && (verdict.lost === 0 || (mayLose && verdict.terminal === verdict.orders)))
      return verdict;
    if (Date.now() > deadline) return verdict ?? (await judge(platform, load.accepted, judging));
    await sleep(500);
  }
}

/** A markdown table, each column as wide as its widest cell. */
export function markdownTable(header: readonly string[], lines: readonly string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]?.length ?? 0)),
  );
  const format = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [
    format(header),
    format(widths.map((width) => '-'.repeat(width))),
    ...lines.map(format),
  ].join('\n');
}

/** A fault's row: what the verdict counted, how long recovery took. */
export interface FaultRow extends Verdict {
  readonly fault: string;
  readonly recoverySeconds: number;
}

/** The table every chaos file prints: one row per fault, and a last column of its own. */
export function faultTable<R extends FaultRow>(
  rows: readonly R[],
  last: { readonly title: string; readonly cell: (row: R) => string },
): string {
  const header = ['fault', 'orders', 'ended', 'duplicates', 'lost', 'parked', 'recovered in'];
  return markdownTable(
    [...header, last.title],
    rows.map((row) => [
      row.fault,
      String(row.orders),
      String(row.terminal),
      String(row.duplicates),
      String(row.lost),
      String(row.deadLetters),
      `${row.recoverySeconds.toFixed(1)} s`,
      last.cell(row),
    ]),
  );
}
