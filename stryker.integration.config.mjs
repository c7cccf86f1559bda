// @ts-check
/**
 * `npm run test:mutation:integration`: mutation testing of the messaging
 * library's I/O (inbox, outbox, dead letters, the consumer loop) against the
 * integration specs, which start NATS, PostgreSQL databases and the probe app
 * as processes of their own. Hours, not minutes: see docs/mutation-testing.md.
 *
 * The command runner, not the Vitest one: the code under test runs in the
 * probe's processes, which learn the active mutant from the environment
 * (__STRYKER_ACTIVE_MUTANT__) that the command runner sets and the specs pass
 * on.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'command',
  commandRunner: {
    // The probe is built on the first run (the initial test run), from the instrumented
    // sources, and reused after: every mutant is in the one bundle, switched by the variable.
    // Not a buildCommand: Stryker runs that before node_modules is in the sandbox, and the
    // bundle must know what node_modules holds to leave it out.
    // --bail: the first failing spec kills a mutant; the rest need not run.
    command:
      'test -f dist/test/messaging-probe/main.js || npm run build:fixtures && ' +
      'npx vitest run --project integration libs/messaging --bail 1',
  },
  // Other processes run the code: no per-test coverage to be had, every mutant runs every spec.
  coverageAnalysis: 'off',
  mutate: [
    'libs/messaging/src/inbox/**/*.ts',
    'libs/messaging/src/outbox/**/*.ts',
    'libs/messaging/src/dead-letters/**/*.ts',
    'libs/messaging/src/jetstream/consumer-worker.ts',
  ],
  // Each run starts servers and processes of its own: one at a time.
  concurrency: 1,
  // A mutant that hangs the consumer loop waits on the specs' own timeouts first.
  timeoutFactor: 2,
  timeoutMS: 120_000,
  dryRunTimeoutMinutes: 30,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/integration/index.html' },
  jsonReporter: { fileName: 'reports/mutation/integration/mutation.json' },
  clearTextReporter: { allowEmojis: false, logTests: false, reportScoreTable: true },
  incrementalFile: 'reports/mutation/integration/incremental.json',
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['dist', 'reports', 'bench/results', '.tmp', '.local'],
  thresholds: { high: 80, low: 60, break: null },
};
