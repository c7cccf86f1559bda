import { escapeXml, lineChart, type Series } from './chart.js';
import type { LoadResult } from './load-mode.js';
import type { BenchReport } from './report.js';

/** One self-contained page: the summary text and inline SVG charts, nothing fetched. */
export function htmlPage(report: BenchReport, summary: string): string {
  const text = escapeXml(summary);
  const charts: string[] = [];
  const { load, scaling } = report;
  if (load) {
    const seconds = (values: ReadonlyArray<number | null>) =>
      values.map((value, i) => [i, value] as const);
    charts.push(
      lineChart({
        title: 'Throughput',
        xLabel: 'seconds since the load started',
        yLabel: 'orders per second',
        series: [
          { name: 'accepted (202)', points: seconds(load.series.accepted) },
          { name: 'ended (terminal event)', points: seconds(load.series.terminal) },
        ],
      }),
      lineChart({
        title: 'NATS messages per second (cmd.> and evt.>)',
        xLabel: 'seconds since the load started',
        yLabel: 'messages per second',
        series: [{ name: 'messages', points: seconds(load.series.natsMessages) }],
      }),
      lineChart({
        title: 'End-to-end latency of the orders ending in each second',
        xLabel: 'seconds since the load started',
        yLabel: 'ms, POST → terminal event',
        series: [
          { name: 'p50', points: seconds(load.series.latencyP50) },
          { name: 'p99', points: seconds(load.series.latencyP99) },
        ],
      }),
      lineChart({
        title: 'Resident memory per process',
        xLabel: 'seconds since the load started',
        yLabel: 'RSS, MiB',
        series: processSeries(load, 'rssMb'),
      }),
      lineChart({
        title: 'CPU per process (100 = one core)',
        xLabel: 'seconds since the load started',
        yLabel: 'CPU %',
        series: [
          ...processSeries(load, 'cpuPercent'),
          {
            name: 'postgres (all)',
            points: load.samples.at.map(
              (at, i) => [at, load.samples.postgresCpuPercent[i] ?? null] as const,
            ),
          },
          {
            name: 'machine',
            points: load.samples.at.map(
              (at, i) => [at, load.samples.machineCpuPercent[i] ?? null] as const,
            ),
          },
        ],
      }),
    );
  }
  if (scaling) {
    charts.push(
      lineChart({
        title: `ProcessPayment commands per second by payments replicas (${scaling.latencyMs} ms provider latency)`,
        xLabel: 'replicas',
        yLabel: 'commands per second',
        series: [
          {
            name: 'measured',
            points: scaling.steps.map((s) => [s.replicas, s.commandsPerSecond] as const),
          },
          {
            name: 'linear from one replica',
            points: scaling.steps.map(
              (s) => [s.replicas, (scaling.steps[0]?.commandsPerSecond ?? 0) * s.replicas] as const,
            ),
          },
        ],
      }),
    );
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Benchmark ${escapeXml(report.startedAt)}</title>
<style>body{font-family:sans-serif;margin:24px;color:#222}pre{background:#f6f6f6;padding:12px;font-size:12px}svg{display:block;margin:16px 0}</style>
</head><body>
<h1>Order saga benchmark</h1>
<p>${escapeXml(report.startedAt)} · <code>${escapeXml(report.command)}</code> · ${report.machine.cores} cores, ${report.machine.memoryGiB} GiB, Node ${escapeXml(report.machine.node)} · load average at start ${report.machine.loadAverage.map((v) => v.toFixed(2)).join(' ')}</p>
<pre>${text}</pre>
${charts.join('\n')}
</body></html>
`;
}

function processSeries(load: LoadResult, field: 'rssMb' | 'cpuPercent'): Series[] {
  return load.samples.processes.map((process) => ({
    name: process.name,
    points: load.samples.at.map((at, i) => [at, process[field][i] ?? null] as const),
  }));
}
