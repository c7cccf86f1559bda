import { existsSync } from 'node:fs';
import request from 'supertest';
import { expect } from 'vitest';
import {
  catalogTopology,
  topologyDefaults,
  type ProvisioningReport,
  type Topology,
  type TopologySettings,
} from '@app/messaging';
import { eventually, type EventuallyOptions } from '../support/eventually.js';
import { PrivateNatsServer, type NatsServerOptions } from '../support/nats-server.js';
import { killAllServices, ServiceProcess } from '../support/service-process.js';
import { TestDatabase } from '../support/test-database.js';
import type { FlowTarget } from '../flows/target.js';
import { anOrderRequest } from '../support/order-request.js';
import { demoSigningEnvironment } from '../../scripts/signing-keys/demo-keys.js';

export { anOrderRequest, type OrderRequestOptions } from '../support/order-request.js';

export const APPS = ['orders', 'payments', 'shipping', 'notifications'] as const;
export type AppName = (typeof APPS)[number];

/** The live view of the message flow: started only when a test asks for it. */
export const FLOW_VIEW = 'flow-view';
const FLOW_VIEW_ENTRY = 'dist/apps/flow-view/main.js';

/** Short retry and poll settings: the tests wait on messages, not on defaults meant for production. */
const FAST_MESSAGING = {
  // Two test files at a time, four apps each, on one PostgreSQL (max_connections 100).
  DATABASE_POOL_SIZE: '8',
  MESSAGING_RETRY_BASE_MS: '50',
  MESSAGING_RETRY_MAX_MS: '500',
  OUTBOX_POLL_MS: '200',
};

export interface PlatformOptions {
  /** Replicas per app (default 1; 0 leaves it stopped). */
  readonly replicas?: Partial<Record<AppName, number>>;
  /** Extra environment per app. */
  readonly env?: Partial<Record<AppName, Record<string, string>>>;
  /** How the test's nats-server is configured (authorisation, for instance). */
  readonly nats?: NatsServerOptions;
  /** The PostgreSQL server for the apps' databases, when not the shared one. */
  readonly postgresAdminUrl?: string;
  /** Starts the flow view too, after the apps, with this extra environment. */
  readonly flowView?: Record<string, string>;
  /** Stream and consumer settings provisioning applies (a short ack wait, for instance). */
  readonly topology?: Partial<TopologySettings>;
}

/** The NATS the apps run on, one server or a cluster: where it is and how its streams are made. */
export interface NatsDeployment {
  /** Every server's URL, comma-separated: the apps' NATS_URL. */
  readonly url: string;
  provision(topology: Topology): Promise<ProvisioningReport>;
  dispose(): Promise<void>;
}

/**
 * The four apps as separate processes, on a nats-server (or a NATS cluster)
 * and databases of this test file's own; everything it starts, `dispose` ends.
 */
export class Platform<Nats extends NatsDeployment = PrivateNatsServer> {
  private readonly services = new Map<AppName, ServiceProcess[]>(APPS.map((app) => [app, []]));
  private flowViewProcess: ServiceProcess | undefined;

  private constructor(
    readonly nats: Nats,
    readonly databases: Record<AppName, TestDatabase>,
    private readonly env: Partial<Record<AppName, Record<string, string>>>,
  ) {}

  static async start(options: PlatformOptions = {}): Promise<Platform> {
    return Platform.on(await PrivateNatsServer.start(options.nats), options);
  }

  /** The same on a NATS the test started itself, a cluster for instance; `dispose` ends it too. */
  static async on<Nats extends NatsDeployment>(
    nats: Nats,
    options: Omit<PlatformOptions, 'nats'> = {},
  ): Promise<Platform<Nats>> {
    const entries = [
      ...APPS.map((app) => entryOf(app)),
      ...(options.flowView ? [FLOW_VIEW_ENTRY] : []),
    ];
    const missing = entries.find((entry) => !existsSync(entry));
    if (missing) {
      await nats.dispose();
      throw new Error(`${missing} is missing: run "npm run build" first`);
    }
    const databases = Object.fromEntries(
      APPS.map((app) => [app, TestDatabase.reserve(app, options.postgresAdminUrl)]),
    ) as Record<AppName, TestDatabase>;
    const platform = new Platform(nats, databases, options.env ?? {});
    try {
      // As a deployment does: streams and consumers first, then the apps, which only look for them.
      await platform.nats.provision(catalogTopology({ ...topologyDefaults, ...options.topology }));
      // The apps' databases are migrated one replica at a time.
      for (const app of APPS) {
        const replicas = options.replicas?.[app] ?? 1;
        for (let i = 0; i < replicas; i += 1) await platform.startReplica(app);
      }
      if (options.flowView) await platform.startFlowView(options.flowView);
    } catch (error) {
      // The test never gets the platform to dispose of: no replica may outlive it.
      await platform.dispose();
      throw error;
    }
    return platform;
  }

  /**
   * Starts one more replica of `app` and waits until it is ready; `dist` is
   * the build it runs, another release's for a rolling upgrade.
   */
  async startReplica(
    app: AppName,
    env: Record<string, string> = {},
    dist = 'dist',
  ): Promise<ServiceProcess> {
    for (let attempt = 1; ; attempt += 1) {
      const service = await ServiceProcess.start({
        entry: entryOf(app, dist),
        env: {
          NATS_URL: this.nats.url,
          DATABASE_URL: this.databases[app].url,
          ...demoSigningEnvironment(app),
          ...FAST_MESSAGING,
          ...this.env[app],
          ...env,
        },
      });
      try {
        await service.ready(60_000);
        this.services.get(app)?.push(service);
        return service;
      } catch (error) {
        await service.kill();
        // The free port it was given can be taken by a process of another test file meanwhile.
        if (attempt < 3 && /EADDRINUSE/.test(service.logs)) continue;
        throw error;
      }
    }
  }

  /** The flow view, its demo form pointed at the first replica of orders. */
  private async startFlowView(env: Record<string, string>): Promise<void> {
    const service = await ServiceProcess.start({
      entry: FLOW_VIEW_ENTRY,
      env: {
        NATS_URL: this.nats.url,
        FLOW_VIEW_ORDERS_URL: this.replicas('orders')[0]?.baseUrl ?? '',
        ...env,
      },
    });
    this.flowViewProcess = service;
    await service.ready(30_000);
  }

  /** The flow view's process; the platform must have been started with `flowView`. */
  get flowView(): ServiceProcess {
    if (!this.flowViewProcess) throw new Error('the flow view was not started');
    return this.flowViewProcess;
  }

  replicas(app: AppName): readonly ServiceProcess[] {
    return this.services.get(app) ?? [];
  }

  /** SIGTERM to every replica of `app`, waiting for each to exit. */
  async stop(app: AppName): Promise<void> {
    const running = this.services.get(app) ?? [];
    this.services.set(app, []);
    await Promise.all(running.map((service) => service.terminate()));
  }

  /** SIGTERM to one replica, waiting for it to drain and exit; the others carry on. */
  async stopReplica(app: AppName, replica: ServiceProcess): Promise<void> {
    const running = this.services.get(app) ?? [];
    this.services.set(
      app,
      running.filter((service) => service !== replica),
    );
    await replica.terminate();
  }

  /** SIGKILL to one replica, as when its machine dies; the others carry on. */
  async killReplica(app: AppName, index = 0): Promise<void> {
    const running = this.services.get(app) ?? [];
    const [victim] = running.splice(index, 1);
    await victim?.kill();
  }

  /** SIGTERM to one replica, as a rolling update does; resolves with its exit code. */
  async terminateReplica(app: AppName, replica: ServiceProcess): Promise<number | null> {
    const running = this.services.get(app) ?? [];
    const index = running.indexOf(replica);
    if (index >= 0) running.splice(index, 1);
    return replica.terminate();
  }

  /**
   * Replaces each replica of `app` by one with `env` over its settings, as a
   * rolling update does: the new one ready before the old one is stopped.
   */
  async replaceReplicas(app: AppName, env: Record<string, string>): Promise<void> {
    // A copy: the list gains the new replicas and loses the old ones meanwhile.
    for (const old of this.replicas(app).slice()) {
      await this.startReplica(app, env);
      await this.terminateReplica(app, old);
    }
  }

  /** supertest against the first running replica of `app`. */
  http(app: AppName) {
    return request(this.running(app).baseUrl);
  }

  /**
   * supertest against the admin port of the first running replica of `app`,
   * as an operator: with the token when the app has one, JSON on a POST.
   */
  admin(app: AppName) {
    const service = this.running(app);
    return request.agent(service.adminUrl).set(service.adminHeaders).type('json');
  }

  private running(app: AppName): ServiceProcess {
    const service = this.replicas(app).find((candidate) => candidate.isRunning);
    if (!service) throw new Error(`${app} is not running`);
    return service;
  }

  /** The business flows' view of this platform: the first replica of each app. */
  flowTarget(facts: Partial<FlowTarget> = {}): FlowTarget {
    const urlOf = (app: AppName) => {
      const service = this.replicas(app).find((candidate) => candidate.isRunning);
      if (!service) throw new Error(`${app} is not running`);
      return service.baseUrl;
    };
    return {
      ordersUrl: urlOf('orders'),
      paymentsUrl: urlOf('payments'),
      shippingUrl: urlOf('shipping'),
      notificationsUrl: urlOf('notifications'),
      stepTimeoutMs: 30_000,
      declineAbove: 100_000,
      unshippableCountry: 'ZZ',
      ...facts,
    };
  }

  logs(app: AppName): string {
    return this.replicas(app)
      .map((service) => service.logs)
      .join('\n');
  }

  async dispose(): Promise<void> {
    await killAllServices();
    await Promise.allSettled(APPS.map((app) => this.databases[app].drop()));
    await this.nats.dispose();
  }

  // --- the order flow, as a client sees it ---

  async placeOrder(
    body: object = anOrderRequest(),
    headers: Record<string, string> = {},
  ): Promise<PlacedOrder> {
    const response = await this.http('orders').post('/orders').set(headers).send(body);
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    return response.body as PlacedOrder;
  }

  async order(id: string): Promise<OrderResource> {
    const response = await this.http('orders').get(`/orders/${id}`);
    expect(response.status).toBe(200);
    return response.body as OrderResource;
  }

  /** Waits until the order reaches `status`; returns it as GET /orders/{id} shows it. */
  async orderReaches(
    id: string,
    status: string,
    options: EventuallyOptions = {},
  ): Promise<OrderResource> {
    return eventually(
      async () => {
        const order = await this.order(id);
        if (order.status !== status)
          throw new Error(`order ${id} is ${order.status}, not ${status}`);
        return order;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: `order ${id} ${status}`, ...options },
    );
  }

  async paymentsOf(orderId: string): Promise<PaymentResource[]> {
    const response = await this.http('payments').get('/payments').query({ orderId });
    expect(response.status).toBe(200);
    return (response.body as { items: PaymentResource[] }).items;
  }

  async shipmentsOf(orderId: string): Promise<ShipmentResource[]> {
    const response = await this.http('shipping').get('/shipments').query({ orderId });
    expect(response.status).toBe(200);
    return (response.body as { items: ShipmentResource[] }).items;
  }

  async notificationsOf(filter: {
    orderId?: string;
    customerId?: string;
  }): Promise<NotificationResource[]> {
    const response = await this.http('notifications').get('/notifications').query(filter);
    expect(response.status).toBe(200);
    return (response.body as { items: NotificationResource[] }).items;
  }
}

function entryOf(app: AppName, dist = 'dist'): string {
  return `${dist}/apps/${app}/main.js`;
}

export interface PlacedOrder {
  readonly id: string;
  readonly customerId: string;
  readonly status: string;
  readonly total: number;
  readonly currency: string;
}

export interface HistoryStep {
  readonly from: string | null;
  readonly to: string | null;
  readonly messageType: string;
  readonly messageId: string;
  readonly at: string;
  readonly note?: string;
}

export interface OrderResource extends PlacedOrder {
  readonly paymentId: string | null;
  readonly shipmentId: string | null;
  readonly trackingNumber: string | null;
  readonly cancelReason: string | null;
  readonly history: HistoryStep[];
  readonly ignoredMessages: Array<HistoryStep & { reason: string }>;
}

export interface PaymentResource {
  readonly id: string;
  readonly orderId: string;
  readonly amount: number;
  readonly status: string;
  readonly refund: { readonly amount: number; readonly reason: string } | null;
}

export interface ShipmentResource {
  readonly id: string;
  readonly orderId: string;
  readonly status: string;
  readonly trackingNumber: string | null;
  readonly recallReason: string | null;
}

export interface NotificationResource {
  readonly id: string;
  readonly messageId: string;
  readonly eventType: string;
  readonly orderId: string;
  readonly customerId: string | null;
  readonly subject: string;
  readonly body: string;
}

/** Runs `work` over `items`, at most `concurrency` at a time. */
export async function inParallel<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
) {
  const results: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index] as T);
      }
    }),
  );
  return results;
}
