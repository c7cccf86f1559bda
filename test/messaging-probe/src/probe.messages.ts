import { z } from 'zod';
import { defineCommand, defineEvent, pastVersion, type PayloadOf } from '@app/contracts';

const recordProbe = z.strictObject({
  probeId: z.uuid(),
  failTimes: z.number().int().nonnegative().default(0),
  alwaysFail: z.boolean().default(false),
  /** Fails while a row for this probe is in probe_breakages: a bug an operator fixes. */
  failUntilFixed: z.boolean().default(false),
  crashAfterCommit: z.boolean().default(false),
  /** Kills the process on every attempt, before anything commits: a poison message. */
  crashAlways: z.boolean().default(false),
  emitEvent: z.boolean().default(false),
  /**
   * Records its effect and a ProbeHappened, then fails on the first delivery:
   * a transaction that rolls back after its outbox had something to send.
   */
  publishThenFailOnce: z.boolean().default(false),
});

/**
 * A command whose payload tells the probe how to behave, so tests can drive
 * every path. With PROBE_READS_VERSION=2 the probe is a later build whose
 * consumer reads a version 2 too (the same fields), while it still sends 1.
 */
const version1 = pastVersion(1, recordProbe, (probe) => probe);
export const RecordProbe = defineCommand(
  'probe',
  'RecordProbe',
  recordProbe,
  process.env.PROBE_READS_VERSION === '2'
    ? { version: 2, past: [version1], sends: version1 }
    : undefined,
);
export type RecordProbe = PayloadOf<typeof RecordProbe>;

export const ProbeHappened = defineEvent(
  'probe',
  'ProbeHappened',
  z.strictObject({ probeId: z.uuid() }),
);
export type ProbeHappened = PayloadOf<typeof ProbeHappened>;
