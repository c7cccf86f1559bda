import { z } from 'zod';
import { defineCommand, defineEvent, type PayloadOf } from '@app/contracts';

/** A command whose payload tells the probe how to behave, so tests can drive every path. */
export const RecordProbe = defineCommand(
  'probe',
  'RecordProbe',
  z.strictObject({
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
  }),
);
export type RecordProbe = PayloadOf<typeof RecordProbe>;

export const ProbeHappened = defineEvent(
  'probe',
  'ProbeHappened',
  z.strictObject({ probeId: z.uuid() }),
);
export type ProbeHappened = PayloadOf<typeof ProbeHappened>;
