import { parseArgs } from 'node:util';

export const APPS = ['orders', 'payments', 'shipping', 'notifications'] as const;
export type AppName = (typeof APPS)[number];

export const OUTCOMES = ['completed', 'declined', 'refunded'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type Mode = 'load' | 'baseline' | 'scaling' | 'all';

export interface BenchOptions {
  readonly mode: Mode;
  readonly orders: number;
  /**
   * Orders placed first, the same way, and waited for, but not measured: what
   * a process that has only just started costs is reported apart.
   */
  readonly warmup: number;
  /** Closed loop: this many clients, each placing its next order once the last is accepted. */
  readonly concurrency: number;
  /** Open loop: orders offered per second whatever the system does; wins over concurrency. */
  readonly rate: number | undefined;
  readonly mix: Readonly<Record<Outcome, number>>;
  readonly replicas: Readonly<Record<AppName, number>>;
  readonly env: Readonly<Record<AppName, Record<string, string>>>;
  /** An orders app already running (its base URL): nothing is started, DB checks are skipped. */
  readonly target: string | undefined;
  readonly natsUrl: string | undefined;
  /** Nodes of a NATS cluster the bench starts instead of one server, every stream replicated on each. */
  readonly natsCluster: number | undefined;
  readonly declineAbove: number;
  /** Seconds to wait, after the last order is accepted, for every order to end. */
  readonly timeoutS: number;
  readonly skipBaseline: boolean;
  /** The load run a second time with message validation off, to measure what it costs. */
  readonly compareValidation: boolean;
  readonly baselineMessages: number;
  readonly baselineSeconds: number;
  readonly scalingCommands: number;
  readonly scalingConcurrency: number;
  readonly scalingLatencyMs: number;
  readonly scalingReplicas: readonly number[];
  /** Apps run under the V8 CPU profiler (bench/cpu-profiler.mjs); profiles land beside the report. */
  readonly cpuProf: readonly AppName[];
  readonly out: string;
}

const USAGE = `npm run bench -- [options]
  --mode load|baseline|scaling|all   (default load; load also measures a short baseline)
  --orders N                 orders to place (default 2000)
  --warmup N                 orders placed the same way before them, not measured (default 0)
  --concurrency N            closed loop: clients placing orders back to back (default 64)
  --rate R                   open loop: orders offered per second (overrides --concurrency)
  --mix completed=80,declined=10,refunded=10
  --replicas payments=2,notifications=2
  --env payments.PAYMENTS_PROVIDER_LATENCY_MS=20   (repeatable) extra environment of an app
  --target http://host:3001 --nats nats://host:4222   use a running system
  --nats-cluster N           N nats-servers in one cluster (2 to 5), every stream with N replicas
  --decline-above N          the PAYMENTS_DECLINE_ABOVE of the system (default 100000)
  --timeout S                wait for the last orders to end (default 60)
  --skip-baseline            no baseline measurement in load mode
  --compare-validation       the load again with message validation off (bench only), and its cost
  --baseline-messages N      JetStream messages per baseline measurement (default 50000)
  --baseline-seconds S       duration of the PostgreSQL baseline (default 5)
  --scaling-commands N       ProcessPayment commands per step (default 3000)
  --scaling-concurrency N    MESSAGING_CONCURRENCY of payments in scaling mode (default 2)
  --scaling-latency-ms N     PAYMENTS_PROVIDER_LATENCY_MS in scaling mode (default 20)
  --scaling-replicas 1,2,4
  --cpu-prof orders,payments write V8 CPU profiles of these apps
  --out DIR                  where reports go (default bench/results)`;

export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      mode: { type: 'string', default: 'load' },
      orders: { type: 'string', default: '2000' },
      warmup: { type: 'string', default: '0' },
      concurrency: { type: 'string', default: '64' },
      rate: { type: 'string' },
      mix: { type: 'string', default: 'completed=80,declined=10,refunded=10' },
      replicas: { type: 'string', default: '' },
      env: { type: 'string', multiple: true, default: [] },
      target: { type: 'string' },
      nats: { type: 'string' },
      'nats-cluster': { type: 'string' },
      'decline-above': { type: 'string', default: '100000' },
      timeout: { type: 'string', default: '60' },
      'skip-baseline': { type: 'boolean', default: false },
      'compare-validation': { type: 'boolean', default: false },
      'baseline-messages': { type: 'string', default: '50000' },
      'baseline-seconds': { type: 'string', default: '5' },
      'scaling-commands': { type: 'string', default: '3000' },
      'scaling-concurrency': { type: 'string', default: '2' },
      'scaling-latency-ms': { type: 'string', default: '20' },
      'scaling-replicas': { type: 'string', default: '1,2,4' },
      'cpu-prof': { type: 'string', default: '' },
      out: { type: 'string', default: 'bench/results' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) throw new UsageError(USAGE, 0);
  const mode = values.mode;
  if (mode !== 'load' && mode !== 'baseline' && mode !== 'scaling' && mode !== 'all')
    throw new UsageError(`--mode must be load, baseline, scaling or all, not "${mode}"`);
  if (values.target && !values.nats)
    throw new UsageError('--target needs --nats: the bench watches the wire');
  const natsCluster =
    values['nats-cluster'] === undefined
      ? undefined
      : clusterSize(values['nats-cluster'], values.target !== undefined);
  const replicas = pairs(values.replicas, '--replicas', APPS);
  const mix = pairs(values.mix, '--mix', OUTCOMES);
  return {
    mode,
    orders: positive(values.orders, '--orders'),
    warmup: values.warmup === '0' ? 0 : positive(values.warmup, '--warmup'),
    concurrency: positive(values.concurrency, '--concurrency'),
    rate: values.rate === undefined ? undefined : positive(values.rate, '--rate'),
    mix: {
      completed: mix.completed ?? 0,
      declined: mix.declined ?? 0,
      refunded: mix.refunded ?? 0,
    },
    replicas: {
      orders: replicas.orders ?? 1,
      payments: replicas.payments ?? 1,
      shipping: replicas.shipping ?? 1,
      notifications: replicas.notifications ?? 1,
    },
    env: appEnvironment(values.env),
    target: values.target,
    natsUrl: values.nats,
    natsCluster,
    declineAbove: positive(values['decline-above'], '--decline-above'),
    timeoutS: positive(values.timeout, '--timeout'),
    skipBaseline: values['skip-baseline'],
    compareValidation: values['compare-validation'],
    baselineMessages: positive(values['baseline-messages'], '--baseline-messages'),
    baselineSeconds: positive(values['baseline-seconds'], '--baseline-seconds'),
    scalingCommands: positive(values['scaling-commands'], '--scaling-commands'),
    scalingConcurrency: positive(values['scaling-concurrency'], '--scaling-concurrency'),
    scalingLatencyMs: positive(values['scaling-latency-ms'], '--scaling-latency-ms'),
    scalingReplicas: values['scaling-replicas']
      .split(',')
      .map((count) => positive(count, '--scaling-replicas')),
    cpuProf: values['cpu-prof'] ? values['cpu-prof'].split(',').map((app) => oneOf(app, APPS)) : [],
    out: values.out,
  };
}

/** A bad command line (or --help): main prints the message, without a stack, and exits. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

function positive(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${flag}: "${text}" is not > 0`);
  return value;
}

/** A stream has at most 5 replicas; a running system (--target) brings its own NATS. */
function clusterSize(text: string, hasTarget: boolean): number {
  if (hasTarget) throw new UsageError('--nats-cluster starts a NATS of its own: not with --target');
  const size = Number(text);
  if (!Number.isInteger(size) || size < 2 || size > 5)
    throw new UsageError(`--nats-cluster: "${text}" is not a whole number from 2 to 5`);
  return size;
}

function oneOf<K extends string>(text: string, allowed: readonly K[]): K {
  if (!(allowed as readonly string[]).includes(text))
    throw new UsageError(`"${text}" is not one of ${allowed.join(', ')}`);
  return text as K;
}

/** `a=1,b=2` with keys from `allowed`; zero is a valid weight or replica count. */
function pairs<K extends string>(
  text: string,
  flag: string,
  allowed: readonly K[],
): Partial<Record<K, number>> {
  const result: Partial<Record<K, number>> = {};
  for (const pair of text.split(',').filter(Boolean)) {
    const [key = '', value = ''] = pair.split('=');
    const count = Number(value);
    if (!Number.isInteger(count) || count < 0)
      throw new UsageError(`${flag}: "${pair}" needs a whole number`);
    result[oneOf(key, allowed)] = count;
  }
  return result;
}

function appEnvironment(entries: readonly string[]): Record<AppName, Record<string, string>> {
  const env: Record<AppName, Record<string, string>> = {
    orders: {},
    payments: {},
    shipping: {},
    notifications: {},
  };
  for (const entry of entries) {
    const match = /^([a-z]+)\.([A-Z0-9_]+)=(.*)$/.exec(entry);
    if (!match) throw new UsageError(`--env "${entry}": expected app.NAME=value`);
    const [, app = '', name = '', value = ''] = match;
    env[oneOf(app, APPS)][name] = value;
  }
  return env;
}
