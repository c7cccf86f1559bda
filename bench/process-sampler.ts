import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Linux reports process CPU time in clock ticks; 100 per second on every common kernel. */
const TICKS_PER_SECOND = 100;

export interface SampledProcess {
  readonly name: string;
  readonly pid: number;
}

export interface ProcessSeries {
  readonly name: string;
  /** VmRSS in MiB at each sample; null once the process is gone. */
  readonly rssMb: Array<number | null>;
  /** CPU since the previous sample, in percent of one core. */
  readonly cpuPercent: Array<number | null>;
}

/** What a process did between the first and the last sample, from /proc. */
export interface ProcessActivity {
  readonly name: string;
  readonly userSeconds: number;
  readonly systemSeconds: number;
  /** read/write-like system calls: each socket round trip costs at least one of each. */
  readonly readCalls: number;
  readonly writeCalls: number;
  readonly voluntarySwitches: number;
  /** Preemptions: the process wanted the CPU and another took it. */
  readonly involuntarySwitches: number;
}

interface Counters {
  readonly user: number;
  readonly system: number;
  readonly readCalls: number;
  readonly writeCalls: number;
  readonly voluntary: number;
  readonly involuntary: number;
}

const ZERO: Counters = {
  user: 0,
  system: 0,
  readCalls: 0,
  writeCalls: 0,
  voluntary: 0,
  involuntary: 0,
};

export interface SamplerResult {
  /** Seconds since the run started, one per sample. */
  readonly at: number[];
  readonly processes: ProcessSeries[];
  /** All `postgres` processes of the machine (shared with whatever else uses the server). */
  readonly postgresCpuPercent: number[];
  /** The whole machine: 100 per busy core. */
  readonly machineCpuPercent: number[];
  readonly cores: number;
  /** Per process, and for all postgres processes alive at the end (those that exited are missed). */
  readonly activity: ProcessActivity[];
}

/**
 * Every second: the resident memory and CPU of each app process (and
 * nats-server), of PostgreSQL as a whole and of the machine, read from /proc.
 * CPU tells where the time goes on a 2-core machine where everything competes.
 */
export class ProcessSampler {
  private readonly series: ProcessSeries[];
  private readonly at: number[] = [];
  private readonly postgres: number[] = [];
  private readonly machine: number[] = [];
  private readonly lastTicks = new Map<string, number>();
  private lastMachine: { busy: number; total: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private firstCounters = new Map<number, Counters>();
  private activity: ProcessActivity[] = [];

  constructor(
    private readonly processes: readonly SampledProcess[],
    private readonly startedAt: number,
  ) {
    this.series = processes.map(({ name }) => ({ name, rssMb: [], cpuPercent: [] }));
  }

  start(): void {
    this.firstCounters = this.allCounters();
    this.sample();
    this.timer = setInterval(() => this.sample(), 1_000);
  }

  /** Takes a last sample and stops; later calls return the same result. */
  stop(): SamplerResult {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.sample();
      this.activity = this.activitySinceStart();
    }
    return {
      at: this.at,
      processes: this.series,
      postgresCpuPercent: this.postgres,
      machineCpuPercent: this.machine,
      cores: cpus().length,
      activity: this.activity,
    };
  }

  private allCounters(): Map<number, Counters> {
    const pids = [...this.processes.map(({ pid }) => pid), ...postgresPids()];
    return new Map(
      pids.flatMap((pid) => {
        const found = countersOf(pid);
        return found ? [[pid, found] as const] : [];
      }),
    );
  }

  private activitySinceStart(): ProcessActivity[] {
    const last = this.allCounters();
    const delta = (name: string, pids: readonly number[]): ProcessActivity => {
      const sum = { ...ZERO };
      for (const pid of pids) {
        // A backend that a pool opened during the run did all its work in it.
        const before = this.firstCounters.get(pid) ?? ZERO;
        const after = last.get(pid);
        if (!after) continue;
        for (const key of Object.keys(sum) as Array<keyof Counters>)
          sum[key] += after[key] - before[key];
      }
      return {
        name,
        userSeconds: sum.user / TICKS_PER_SECOND,
        systemSeconds: sum.system / TICKS_PER_SECOND,
        readCalls: sum.readCalls,
        writeCalls: sum.writeCalls,
        voluntarySwitches: sum.voluntary,
        involuntarySwitches: sum.involuntary,
      };
    };
    const own = new Set(this.processes.map(({ pid }) => pid));
    const postgres = [...last.keys()].filter((pid) => !own.has(pid));
    return [
      ...this.processes.map(({ name, pid }) => delta(name, [pid])),
      delta('postgres (all)', postgres),
    ];
  }

  private sample(): void {
    const now = performance.now();
    const elapsedS = this.at.length
      ? (now - this.startedAt) / 1_000 - (this.at[this.at.length - 1] ?? 0)
      : 0;
    this.at.push((now - this.startedAt) / 1_000);
    this.processes.forEach(({ name, pid }, index) => {
      const series = this.series[index] as ProcessSeries;
      series.rssMb.push(rssMb(pid));
      series.cpuPercent.push(this.cpuSince(name, cpuTicks(pid), elapsedS));
    });
    const postgresTicks = postgresPids().reduce((sum, pid) => sum + (cpuTicks(pid) ?? 0), 0);
    this.postgres.push(this.cpuSince('postgres', postgresTicks, elapsedS) ?? 0);
    this.machine.push(this.machineSince());
  }

  private cpuSince(key: string, ticks: number | null, elapsedS: number): number | null {
    if (ticks === null) return null;
    const previous = this.lastTicks.get(key);
    this.lastTicks.set(key, ticks);
    if (previous === undefined || elapsedS <= 0) return 0;
    // Backends that exited since the last sample take their ticks with them: never negative.
    return Math.max(0, ((ticks - previous) / TICKS_PER_SECOND / elapsedS) * 100);
  }

  private machineSince(): number {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
      .trim()
      .split(/\s+/)
      .slice(1, 9)
      .map(Number);
    const total = fields.reduce((sum, value) => sum + value, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const current = { busy: total - idle, total };
    const previous = this.lastMachine;
    this.lastMachine = current;
    if (!previous || current.total === previous.total) return 0;
    return (
      ((current.busy - previous.busy) / (current.total - previous.total)) * 100 * cpus().length
    );
  }
}

function rssMb(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

function countersOf(pid: number): Counters | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (text: string, name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return {
      user: Number(fields[11]),
      system: Number(fields[12]),
      readCalls: field(io, 'syscr'),
      writeCalls: field(io, 'syscw'),
      voluntary: field(status, 'voluntary_ctxt_switches'),
      involuntary: field(status, 'nonvoluntary_ctxt_switches'),
    };
  } catch {
    return undefined;
  }
}

/** utime + stime of a process, in ticks; null when it is gone. */
function cpuTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

function processIds(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

function postgresPids(): number[] {
  return processIds().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
    } catch {
      return false;
    }
  });
}

/** The nats-server listening on `port`, found by its command line (its handle is private). */
export function natsServerPid(port: number): number | undefined {
  return processIds().find((pid) => {
    const command = commandOf(pid);
    return command.includes('nats-server') && command.includes(` -p ${port} `);
  });
}
