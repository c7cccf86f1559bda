import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { ALL_COMMANDS, ALL_DEAD_LETTERS, ALL_EVENTS, type MessageDefinition } from '@app/contracts';

/** What the wire showed of one order (or, in scaling mode, of one payment). */
export interface Trace {
  /** Message type → the distinct Nats-Msg-Ids seen for it. */
  readonly messages: Map<string, Set<string>>;
  /** Message type → when it was first seen, in ms since the run started. */
  readonly firstSeen: Map<string, number>;
  terminal: { readonly type: string; readonly at: number } | undefined;
}

export interface Republication {
  readonly messageId: string;
  readonly messageType: string;
  readonly correlationId: string;
}

const decoder = new TextDecoder();

/**
 * A plain core NATS client on the wire, as any outside program would be: it
 * sees every command and event when it is published (consumers' deliveries go
 * to inboxes and are not counted), so the terminal state of an order is known
 * the moment it is announced, without polling the system.
 */
export class WireObserver {
  readonly traces = new Map<string, Trace>();
  /** When each command or event was seen, in ms since the run started. */
  readonly seenAt: number[] = [];
  readonly countsByType = new Map<string, number>();
  readonly republications: Republication[] = [];
  readonly deadLetters: string[] = [];
  /** Types of messages without a correlation id: the contract says none should exist. */
  readonly uncorrelated: string[] = [];
  private readonly seenIds = new Set<string>();
  private terminalCount = 0;

  private constructor(
    readonly connection: NatsConnection,
    private readonly startedAt: number,
  ) {}

  /**
   * `terminals` are the messages that end a trace; they are read from their
   * own subscription and matched by the `orderId` of their body.
   */
  static async connect(
    url: string,
    startedAt: number,
    terminals: readonly MessageDefinition[],
  ): Promise<WireObserver> {
    const observer = new WireObserver(await connect({ servers: url.split(',') }), startedAt);
    const { connection } = observer;
    connection.subscribe(ALL_COMMANDS, { callback: (_, msg) => observer.onMessage(msg) });
    connection.subscribe(ALL_EVENTS, { callback: (_, msg) => observer.onMessage(msg) });
    connection.subscribe(ALL_DEAD_LETTERS, {
      callback: (_, msg) => void observer.deadLetters.push(msg.subject),
    });
    for (const terminal of terminals) {
      connection.subscribe(terminal.subject, {
        callback: (_, msg) => observer.onTerminal(terminal.name, msg),
      });
    }
    // The subscriptions are in place on the server before any load starts.
    await connection.flush();
    return observer;
  }

  get terminated(): number {
    return this.terminalCount;
  }

  trace(id: string): Trace {
    let trace = this.traces.get(id);
    if (!trace) {
      trace = { messages: new Map(), firstSeen: new Map(), terminal: undefined };
      this.traces.set(id, trace);
    }
    return trace;
  }

  /**
   * Resolves once `done()` holds, false after the timeout. Checked every 50 ms
   * in this process: the times measured are those of the messages, so this
   * only decides when the bench stops waiting.
   */
  async until(done: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (!done()) {
      if (performance.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return true;
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  private now(): number {
    return performance.now() - this.startedAt;
  }

  private onMessage(msg: Msg): void {
    const at = this.now();
    this.seenAt.push(at);
    const messageId = msg.headers?.get('Nats-Msg-Id') ?? '';
    const messageType = msg.headers?.get('message-type') || msg.subject;
    const correlationId = msg.headers?.get('correlation-id') ?? '';
    this.countsByType.set(messageType, (this.countsByType.get(messageType) ?? 0) + 1);
    if (this.seenIds.has(messageId)) {
      this.republications.push({ messageId, messageType, correlationId });
      return;
    }
    this.seenIds.add(messageId);
    if (!correlationId) {
      this.uncorrelated.push(messageType);
      return;
    }
    const trace = this.trace(correlationId);
    let ids = trace.messages.get(messageType);
    if (!ids) {
      ids = new Set();
      trace.messages.set(messageType, ids);
      trace.firstSeen.set(messageType, at);
    }
    ids.add(messageId);
  }

  private onTerminal(type: string, msg: Msg): void {
    const at = this.now();
    let orderId: unknown;
    try {
      orderId = (JSON.parse(decoder.decode(msg.data)) as { orderId?: unknown }).orderId;
    } catch {
      return;
    }
    if (typeof orderId !== 'string') return;
    const trace = this.trace(orderId);
    if (trace.terminal) return;
    trace.terminal = { type, at };
    this.terminalCount += 1;
  }
}
