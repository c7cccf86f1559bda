import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ALL_COMMANDS, ALL_EVENTS, Header } from '@app/contracts';
import type { Msg, Subscription } from '@nats-io/transport-node';
import { toFlowMessage } from './flow-message.js';
import type { FlowUpdate } from './flow-wire.js';
import { WireConnection } from './nats/wire-connection.js';
import { RecentOrders } from './order-progress.js';
import { SSE_PING, sseFrame, type FlowClient } from './sse-client.js';

/** Messages go out in batches: one write per client per tick, however busy the wire. */
const BATCH_INTERVAL_MS = 100;
/** A tick's batch keeps the newest messages; older ones are counted as skipped. */
const MAX_BATCH = 500;
// Enough to hold every order in flight under load, so each is followed from its start.
const RECENT_ORDERS = 200;
const PING_INTERVAL_MS = 15_000;
const SUBSCRIBED_WITHIN_MS = 2_000;

/**
 * Watches every command and event on a core NATS subscription while at least
 * one browser follows the flow, and streams what it sees to them. Nobody
 * watching costs nothing: the subscription and the orders it tracked go with
 * the last client.
 */
@Injectable()
export class FlowStream implements OnModuleDestroy {
  private readonly logger = new Logger('FlowView');
  private readonly clients = new Set<FlowClient>();
  private readonly orders = new RecentOrders(RECENT_ORDERS);
  private subscriptions: Subscription[] = [];
  private batch: FlowUpdate[] = [];
  private skipped = 0;
  private timers: NodeJS.Timeout[] = [];
  private closed = false;

  constructor(private readonly wire: WireConnection) {}

  /** Adds a client once the subscription is in place, and sends it the orders seen so far. */
  async follow(client: FlowClient): Promise<void> {
    if (this.closed) return client.close();
    if (this.subscriptions.length === 0) {
      try {
        this.subscribe();
      } catch (error) {
        this.logger.warn(`cannot follow the message flow: ${(error as Error).message}`);
        return client.close();
      }
    }
    this.clients.add(client);
    await this.subscribed();
    // Gone while it waited: it leaves like any other.
    if (!client.send(sseFrame('snapshot', { orders: this.orders.list() }))) this.leave(client);
  }

  leave(client: FlowClient): void {
    this.clients.delete(client);
    if (this.clients.size === 0) this.unsubscribe();
  }

  get watchers(): number {
    return this.clients.size;
  }

  onModuleDestroy(): void {
    this.closed = true;
    for (const client of this.clients) client.close();
    this.clients.clear();
    this.unsubscribe();
  }

  private subscribe(): void {
    this.subscriptions = [ALL_COMMANDS, ALL_EVENTS].map((subject) =>
      this.wire.subscribe(subject, (message) => this.receive(message)),
    );
    this.timers = [
      setInterval(() => this.flush(), BATCH_INTERVAL_MS),
      setInterval(() => this.broadcast(SSE_PING), PING_INTERVAL_MS),
    ];
    for (const timer of this.timers) timer.unref();
    this.logger.log('following the message flow');
  }

  /** Waits until NATS has the subscription, so nothing published after this is missed. */
  private async subscribed(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SUBSCRIBED_WITHIN_MS);
    });
    await Promise.race([this.wire.flush().catch(() => undefined), late]);
    clearTimeout(timer);
  }

  private unsubscribe(): void {
    if (this.subscriptions.length === 0) return;
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    for (const timer of this.timers) clearInterval(timer);
    this.subscriptions = [];
    this.timers = [];
    this.batch = [];
    this.skipped = 0;
    this.orders.clear();
    this.logger.log('no one follows the message flow any more');
  }

  private receive(raw: Msg): void {
    const message = toFlowMessage(
      raw.subject,
      {
        messageType: raw.headers?.get(Header.MessageType),
        correlationId: raw.headers?.get(Header.CorrelationId),
      },
      Date.now(),
    );
    if (!message) return;
    this.batch.push({ message, order: this.orders.apply(message) });
    if (this.batch.length > MAX_BATCH) {
      this.batch.shift();
      this.skipped += 1;
    }
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const frame = sseFrame('messages', { updates: this.batch, skipped: this.skipped });
    this.batch = [];
    this.skipped = 0;
    this.broadcast(frame);
  }

  private broadcast(frame: string): void {
    for (const client of this.clients) {
      if (!client.send(frame)) this.leave(client);
    }
  }
}
