import { cpus, loadavg, totalmem } from 'node:os';
import { killAllServices } from '../test/support/service-process.js';
import { measureBaseline, type BaselineResult } from './baseline.js';
import { runLoad, type LoadResult } from './load-mode.js';
import { parseOptions, UsageError, type BenchOptions } from './options.js';
import { allChecks, fractionsOf, summaryText, writeReports, type BenchReport } from './report.js';
import { measureScaling, type ScalingResult } from './scaling.js';
import { validationCost, withoutValidation } from './validation-cost.js';

/** Progress goes to stderr, so that stdout holds only the summary. */
function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    // parseArgs rejects unknown flags with a TypeError.
    if (!(error instanceof UsageError) && !(error instanceof TypeError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return error instanceof UsageError ? error.exitCode : 2;
  }
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const machine = {
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: loadavg(),
  };
  const runs = {
    baseline:
      options.mode === 'baseline' ||
      options.mode === 'all' ||
      (options.mode === 'load' && !options.skipBaseline),
    load: options.mode === 'load' || options.mode === 'all',
    scaling: options.mode === 'scaling' || options.mode === 'all',
  };

  let baseline: BaselineResult | undefined;
  let load: LoadResult | undefined;
  let loadWithoutValidation: LoadResult | undefined;
  let loadCheckedAgain: LoadResult | undefined;
  let scaling: ScalingResult | undefined;
  // The machine's ceilings first, while nothing else of the bench runs.
  if (runs.baseline) {
    progress('baseline: JetStream publish and consume, PostgreSQL saga-step commits');
    baseline = await measureBaseline({
      messages: options.baselineMessages,
      postgresSeconds: options.baselineSeconds,
    });
  }
  if (runs.load) {
    progress(
      options.target
        ? `load: ${options.orders} orders against ${options.target}`
        : `load: starting the system, then ${options.orders} orders`,
    );
    load = await runLoad(options, stamp, progress);
    if (options.compareValidation && !options.target) {
      progress(`load again, message validation off: ${options.orders} orders`);
      loadWithoutValidation = await runLoad(
        withoutValidation(options),
        `${stamp}-unchecked`,
        progress,
      );
      progress(`load a third time, message validation on again: ${options.orders} orders`);
      loadCheckedAgain = await runLoad(options, `${stamp}-checked-again`, progress);
    }
  }
  if (runs.scaling) {
    progress(`scaling: ${options.scalingCommands} ProcessPayment commands per step`);
    scaling = await measureScaling({
      replicas: options.scalingReplicas,
      commands: options.scalingCommands,
      concurrency: options.scalingConcurrency,
      latencyMs: options.scalingLatencyMs,
      timeoutS: options.timeoutS,
      progress,
    });
  }

  const draft: Omit<BenchReport, 'ok'> = {
    startedAt: startedAt.toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine,
    options,
    ...(baseline ? { baseline } : {}),
    ...(load ? { load } : {}),
    ...(scaling ? { scaling } : {}),
    ...(load && loadWithoutValidation && loadCheckedAgain
      ? {
          loadWithoutValidation,
          loadCheckedAgain,
          validationCost: validationCost([load, loadCheckedAgain], loadWithoutValidation),
        }
      : {}),
    ...(load && baseline ? { fractions: fractionsOf(load, baseline) } : {}),
  };
  const report: BenchReport = { ...draft, ok: allChecks(draft).every((c) => c.ok) };
  const files = writeReports(report, options.out, stamp);
  process.stdout.write(`${summaryText(report)}\n`);
  progress(`report: ${files.join(', ')}`);
  return report.ok ? 0 : 1;
}

// Ctrl-C: no app process outlives the bench (its databases are named *_test_* and can be dropped).
process.once('SIGINT', () => {
  progress('interrupted: stopping the apps');
  void killAllServices().finally(() => process.exit(130));
});

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    await killAllServices();
    process.exit(1);
  },
);
