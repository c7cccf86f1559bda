import type { AppName, Platform } from '../e2e/platform.js';
import type { PrivatePostgres } from '../support/private-postgres.js';
import type { SteadyLoad } from './steady-load.js';
import type { JudgeOptions, Verdict } from './verdict.js';

/** The stream and consumer settings the suite provisions, as an operator's provisioning must too. */
export const ACK_WAIT_MS = 4_000;

/** What a fault acts on, and where it leaves what it measured. */
export interface FaultContext {
  readonly platform: Platform;
  readonly postgres: PrivatePostgres;
  readonly load: SteadyLoad;
  /** Figures of the fault's own, for the table's last column. */
  readonly notes: string[];
  /** Dead letters it made on purpose, by original message id: not counted as parked. */
  readonly expectedLetters: Set<string>;
  /** When the repair was done, in ms since the load began (set by faults that repair by hand). */
  repairedAt?: number;
}

export interface Fault {
  readonly name: string;
  /** It makes JetStream deliver a message again while its first attempt is still running. */
  readonly redelivers?: boolean;
  /** Settings of this fault's own, per app: the replicas are rolled over to them before its load. */
  readonly settings?: Partial<Record<AppName, Record<string, string>>>;
  /** How its verdict is read (a late shipment may be recalled, for instance). */
  readonly judging?: Pick<JudgeOptions, 'lateShipments'>;
  /** Breaks something and repairs it; resolves when the repair is done. */
  readonly inject: (context: FaultContext) => Promise<void>;
  /**
   * What must hold once every order settled, instead of the default (every
   * order ended as the rules say, once, nothing parked): for a fault that
   * destroys messages, the outcome documented for them.
   */
  readonly expectations?: (context: FaultContext, verdict: Verdict) => Promise<void>;
  /** Checks of its own, on top of the verdict (what the fault must have made the platform do). */
  readonly alsoExpect?: (context: FaultContext, verdict: Verdict) => Promise<void> | void;
}
