/** A NATS or PostgreSQL the apps use, and how the launcher came by it. */
export interface Service {
  /** The URL the apps are given (for PostgreSQL: the server, without a database). */
  readonly url: string;
  readonly origin: 'given' | 'reused' | 'started';
  /** What it is and where its data and log are, for the banner. */
  readonly detail: string;
  /** Stops it if the launcher started it; leaves it alone otherwise. */
  stop(): Promise<void>;
}

export function external(url: string, origin: 'given' | 'reused', detail: string): Service {
  return { url, origin, detail, stop: async () => undefined };
}
