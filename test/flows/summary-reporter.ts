import type { Reporter, TestModule } from 'vitest/node';

/** One line per flow after the run: what a person reads first when a deploy check fails. */
export default class FlowSummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const rows: Array<[string, string, string]> = [];
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        const seconds = ((test.diagnostic()?.duration ?? 0) / 1000).toFixed(1);
        const outcome =
          result.state === 'skipped'
            ? `skipped${result.note ? `: ${result.note}` : ''}`
            : result.state === 'failed'
              ? 'FAILED'
              : result.state;
        rows.push([test.name, outcome, result.state === 'skipped' ? '' : `${seconds} s`]);
      }
    }
    if (rows.length === 0) return;
    const width = Math.max(...rows.map(([name]) => name.length), 'flow'.length);
    const lines = [
      '',
      `${'flow'.padEnd(width)}  time     result`,
      `${'-'.repeat(width)}  -------  ------`,
      ...rows.map(
        ([name, outcome, time]) => `${name.padEnd(width)}  ${time.padStart(7)}  ${outcome}`,
      ),
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
