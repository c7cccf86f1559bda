import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BaselineResult } from './baseline.js';
import { htmlPage } from './html-report.js';
import type { Check } from './checks.js';
import type { LoadResult } from './load-mode.js';
import type { BenchOptions } from './options.js';
import type { ScalingResult } from './scaling.js';
import type { Summary } from './stats.js';
import type { ValidationCost } from './validation-cost.js';

export interface Fractions {
  /** Messages published per second by the platform over the JetStream publish ceiling. */
  readonly natsPublish: number;
  /** Handler transactions per second over the PostgreSQL saga-step ceiling. */
  readonly postgresTransactions: number;
  /** Messages consumed per second by the apps over the JetStream consume + ack ceiling. */
  readonly natsConsume: number;
}

export interface BenchReport {
  readonly startedAt: string;
  readonly command: string;
  readonly machine: { cores: number; memoryGiB: number; node: string; loadAverage: number[] };
  readonly options: BenchOptions;
  readonly baseline?: BaselineResult;
  readonly load?: LoadResult;
  readonly scaling?: ScalingResult;
  /** The same load with message validation off (--compare-validation). */
  readonly loadWithoutValidation?: LoadResult;
  /** The load once more with validation, after the unchecked one (--compare-validation). */
  readonly loadCheckedAgain?: LoadResult;
  readonly validationCost?: ValidationCost;
  readonly fractions?: Fractions;
  readonly ok: boolean;
}

export function fractionsOf(load: LoadResult, baseline: BaselineResult): Fractions {
  return {
    natsPublish: load.natsMessagesPerSecond / baseline.publishPerSecond,
    postgresTransactions: load.transactionsPerSecond / baseline.postgresCommitsPerSecond,
    natsConsume: load.deliveriesPerSecond / baseline.consumePerSecond,
  };
}

export function allChecks(report: Omit<BenchReport, 'ok'>): Check[] {
  return [
    ...(report.load?.checks ?? []),
    ...(report.loadWithoutValidation?.checks ?? []).map((c) => ({
      ...c,
      name: `validation off: ${c.name}`,
    })),
    ...(report.loadCheckedAgain?.checks ?? []).map((c) => ({
      ...c,
      name: `validation on again: ${c.name}`,
    })),
    ...(report.scaling?.steps ?? []).flatMap((step) =>
      step.checks.map((c) => ({ ...c, name: `scaling ×${step.replicas}: ${c.name}` })),
    ),
  ];
}

/** Writes `<stamp>.json` and `<stamp>.html` in `out`; returns their paths. */
export function writeReports(report: BenchReport, out: string, stamp: string): string[] {
  mkdirSync(out, { recursive: true });
  const json = join(out, `${stamp}.json`);
  const html = join(out, `${stamp}.html`);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(html, htmlPage(report, summaryText(report)));
  return [json, html];
}

export function summaryText(report: BenchReport): string {
  const lines: string[] = [];
  const { baseline, load, scaling, fractions } = report;
  if (baseline) {
    lines.push('Baseline (this machine, same clients)');
    lines.push(
      table([
        ['JetStream publish (msgID, noAsyncTraces)', `${round(baseline.publishPerSecond)} msg/s`],
        ['JetStream consume + ack', `${round(baseline.consumePerSecond)} msg/s`],
        [
          `PostgreSQL saga step (insert, update, insert) at ${baseline.settings.postgresConnections} connections`,
          `${round(baseline.postgresCommitsPerSecond)} commits/s`,
        ],
      ]),
    );
  }
  if (load) {
    const mode = report.options.rate
      ? `open loop at ${report.options.rate}/s`
      : `closed loop, ${report.options.concurrency} clients`;
    const warmup = report.options.warmup
      ? `, after ${report.options.warmup} warm-up orders`
      : ', starting cold';
    lines.push(`Load: ${load.accepted}/${load.orders} orders accepted, ${mode}${warmup}`);
    lines.push(
      table([
        ['completed orders/s (first 202 → last terminal)', round(load.completedPerSecond)],
        ['terminal orders/s (all outcomes)', round(load.terminalPerSecond)],
        ['accepted orders/s', round(load.acceptedPerSecond)],
        ['window', `${load.windowSeconds.toFixed(1)} s`],
        ['NATS messages/s (cmd.> + evt.>)', round(load.natsMessagesPerSecond)],
        [
          'handler transactions/s',
          `${round(load.transactionsPerSecond)} (${load.transactionsPerOrder.toFixed(1)} per order)`,
        ],
        ['consumers drained after the last order ended', `${load.drainSeconds.toFixed(1)} s`],
      ]),
    );
    lines.push('Latency (ms)');
    lines.push(
      table([
        ['', 'p50', 'p95', 'p99', 'max', 'n'],
        summaryRow('POST → terminal', load.latency.endToEnd),
        ...Object.entries(load.latency.byOutcome).map(([outcome, s]) =>
          summaryRow(`  ${outcome}`, s),
        ),
        summaryRow('POST → 202', load.latency.acceptance),
      ]),
    );
    lines.push('Stages on the wire (ms)');
    lines.push(
      table([
        ['', 'p50', 'p95', 'p99', 'max', 'n'],
        ...Object.entries(load.stages).map(([stage, s]) => summaryRow(stage, s)),
      ]),
    );
    lines.push('Processes (RSS MiB, CPU % of one core)');
    lines.push(
      table([
        ['', 'start', 'max', 'end', 'MiB/min', 'CPU %'],
        ...load.memory.map((m) => [
          m.name,
          m.startMb.toFixed(0),
          m.maxMb.toFixed(0),
          m.endMb.toFixed(0),
          m.growthMbPerMin.toFixed(1),
          m.meanCpuPercent.toFixed(0),
        ]),
        ['postgres (all)', '', '', '', '', mean(load.samples.postgresCpuPercent).toFixed(0)],
        [
          'machine',
          '',
          '',
          '',
          '',
          `${mean(load.samples.machineCpuPercent).toFixed(0)} of ${load.samples.cores * 100}`,
        ],
        ['anything else on the machine', '', '', '', '', othersCpu(load).toFixed(0)],
      ]),
    );
  }
  if (load?.retainedHeap.length) {
    // RSS swings between major collections; what a process keeps shows after a full one.
    lines.push('Heap in use after a full collection (MiB), before and after the load');
    lines.push(
      table([
        ['', 'before', 'after', 'change'],
        ...load.retainedHeap.map((h) => [
          h.name,
          h.beforeMb.toFixed(1),
          h.afterMb.toFixed(1),
          `${h.afterMb >= h.beforeMb ? '+' : ''}${(h.afterMb - h.beforeMb).toFixed(1)}`,
        ]),
      ]),
    );
  }
  if (load?.samples.activity.length) {
    const per = (value: number) => (value / Math.max(1, load.accepted)).toFixed(1);
    const perMs = (seconds: number) => ((seconds * 1_000) / Math.max(1, load.accepted)).toFixed(2);
    lines.push('Per order, from /proc (CPU in ms; reads and writes are system calls)');
    lines.push(
      table([
        ['', 'user ms', 'system ms', 'reads', 'writes', 'switches', 'preempted'],
        ...load.samples.activity.map((a) => [
          a.name,
          perMs(a.userSeconds),
          perMs(a.systemSeconds),
          per(a.readCalls),
          per(a.writeCalls),
          per(a.voluntarySwitches),
          per(a.involuntarySwitches),
        ]),
      ]),
    );
  }
  if (load?.logs.length) {
    lines.push('Logs written to stdout during the load, per order');
    lines.push(
      table([
        ['', 'lines', 'bytes'],
        ...load.logs.map((l) => [
          l.name,
          (l.lines / Math.max(1, load.accepted)).toFixed(1),
          round(l.bytes / Math.max(1, load.accepted)),
        ]),
      ]),
    );
  }
  if (load?.databaseActivity.length) {
    const per = (value: number) => (value / Math.max(1, load.accepted)).toFixed(1);
    lines.push('Database activity during the load, per order (pg_stat_database)');
    lines.push(
      table([
        ['', 'commits', 'rollbacks', 'inserted', 'updated', 'deleted', 'rows read'],
        ...load.databaseActivity.map((a) => [
          a.app,
          per(a.commits),
          per(a.rollbacks),
          per(a.inserted),
          per(a.updated),
          per(a.deleted),
          per(a.fetched),
        ]),
      ]),
    );
  }
  for (const profile of load?.profiles ?? []) {
    lines.push(`CPU profile of ${profile.process}: ${(profile.busyMs / 1_000).toFixed(1)} s busy`);
    lines.push(
      table([
        ['self time by origin'],
        ...profile.byOrigin.slice(0, 8).map((o) => [percent(o.share), o.origin]),
        ['stacks through (a write is charged to its caller)'],
        ...profile.throughOrigin.slice(0, 10).map((o) => [percent(o.share), o.origin]),
        ['top functions (self time)'],
        ...profile.topFunctions.slice(0, 8).map((f) => [percent(f.share), f.name]),
      ]),
    );
  }
  if (fractions) {
    lines.push('Platform as a share of the ceilings');
    lines.push(
      table([
        ['NATS messages/s of the publish ceiling', percent(fractions.natsPublish)],
        [
          'handler transactions/s of the PostgreSQL ceiling',
          percent(fractions.postgresTransactions),
        ],
        ['messages consumed/s of the consume + ack ceiling', percent(fractions.natsConsume)],
      ]),
    );
  }
  if (report.validationCost) {
    const cost = report.validationCost;
    const less = (checked: number, unchecked: number) =>
      `${(((checked - unchecked) / checked) * 100).toFixed(1)} %`;
    // The apps' CPU over the rest's: what the machine's drift does to both cancels out.
    const checkedRatio = cost.checkedAppCpuMsPerOrder / cost.checkedOtherCpuMsPerOrder;
    const uncheckedRatio = cost.uncheckedAppCpuMsPerOrder / cost.uncheckedOtherCpuMsPerOrder;
    lines.push('Message validation: checked, unchecked, checked again (fresh system each)');
    lines.push(
      table([
        ['', 'orders/s', 'apps CPU ms/order', 'rest CPU ms/order', 'apps / rest'],
        [
          `checked (as shipped): ${cost.checkedPerSecond.map(round).join(' and ')}`,
          round(cost.checkedMeanPerSecond),
          cost.checkedAppCpuMsPerOrder.toFixed(2),
          cost.checkedOtherCpuMsPerOrder.toFixed(2),
          checkedRatio.toFixed(3),
        ],
        [
          'unchecked (bench only)',
          round(cost.uncheckedPerSecond),
          cost.uncheckedAppCpuMsPerOrder.toFixed(2),
          cost.uncheckedOtherCpuMsPerOrder.toFixed(2),
          uncheckedRatio.toFixed(3),
        ],
        [
          'checked costs',
          `${cost.costPercent.toFixed(1)} %`,
          less(cost.checkedAppCpuMsPerOrder, cost.uncheckedAppCpuMsPerOrder),
          less(cost.checkedOtherCpuMsPerOrder, cost.uncheckedOtherCpuMsPerOrder),
          less(checkedRatio, uncheckedRatio),
        ],
      ]),
    );
    lines.push(
      '  rest: NATS, PostgreSQL and the bench, which the switch does not touch: their change is the machine drifting',
    );
  }
  if (scaling) {
    lines.push(
      `Scaling: payments with ${scaling.latencyMs} ms provider latency, MESSAGING_CONCURRENCY ${scaling.concurrency} (≤ ${round(scaling.boundPerReplica)}/s per replica)`,
    );
    lines.push(
      table([
        [
          'replicas',
          'commands',
          'seconds',
          'commands/s',
          'steady/s',
          'payments CPU %',
          'machine CPU %',
        ],
        ...scaling.steps.map((step) => [
          String(step.replicas),
          String(step.commands),
          step.seconds.toFixed(1),
          round(step.commandsPerSecond),
          round(step.steadyPerSecond),
          step.paymentsCpuPercent.toFixed(0),
          step.machineCpuPercent.toFixed(0),
        ]),
      ]),
    );
    lines.push(
      `ratio ${scaling.steps.at(-1)?.replicas ?? '?'} vs ${scaling.steps[0]?.replicas ?? '?'}: ${scaling.ratio.toFixed(2)}×`,
    );
  }
  const checks = allChecks(report);
  if (checks.length) {
    lines.push('Checks');
    lines.push(table(checks.map((c) => [c.ok ? 'PASS' : 'FAIL', c.name, c.detail])));
  }
  lines.push(report.ok ? 'All checks passed.' : 'SOME CHECKS FAILED.');
  return lines.join('\n');
}

/** Figures (short cells that start with a digit) right-aligned, the rest left-aligned. */
function table(rows: ReadonlyArray<readonly string[]>): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const align = (cell: string, i: number) =>
    /^-?\d/.test(cell) && cell.length <= 20
      ? cell.padStart(widths[i] ?? 0)
      : cell.padEnd(widths[i] ?? 0);
  return rows.map((row) => `  ${row.map(align).join('  ')}`.trimEnd()).join('\n');
}

function summaryRow(name: string, s: Summary): string[] {
  return [name, ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max), String(s.count)];
}

const ms = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(value < 10 ? 1 : 0));
const round = (value: number) => String(Math.round(value));
const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
/** Machine CPU not used by the listed processes: what else ran during the benchmark. */
function othersCpu(load: LoadResult): number {
  const listed = load.memory.reduce((sum, m) => sum + m.meanCpuPercent, 0);
  return Math.max(
    0,
    mean(load.samples.machineCpuPercent) - listed - mean(load.samples.postgresCpuPercent),
  );
}

const mean = (values: readonly number[]) =>
  values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
