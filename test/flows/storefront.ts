import { randomUUID } from 'node:crypto';
import { anOrderRequest, type OrderRequestOptions } from '../support/order-request.js';
import type { FlowTarget } from './target.js';

/** What a flow sees of an HTTP answer. */
export interface HttpAnswer<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export interface RawRequest {
  readonly method?: 'GET' | 'POST';
  /** Sent as JSON unless `rawBody` is given. */
  readonly json?: unknown;
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
}

type Service = 'orders' | 'payments' | 'shipping' | 'notifications';

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The public HTTP APIs as a customer reaches them, and nothing else: no
 * database, no NATS, no process of the target is touched.
 */
export class Storefront {
  constructor(readonly target: FlowTarget) {}

  /** A customer of this flow's own, never seen by the target before. */
  async newCustomer(): Promise<Customer> {
    const id = randomUUID();
    return new Customer(this, id, (await this.target.credentialsOf?.(id)) ?? {});
  }

  async request<T = unknown>(
    service: Service,
    path: string,
    request: RawRequest = {},
  ): Promise<HttpAnswer<T>> {
    const url = `${this.baseUrlOf(service)}${path}`;
    const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
    let body: string | undefined = request.rawBody;
    if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      headers['Content-Type'] ??= 'application/json';
    }
    const method = request.method ?? (body === undefined ? 'GET' : 'POST');
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new Error(`${method} ${url} got no answer: ${describe(error)}`);
    }
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: parse(text) as T };
  }

  private baseUrlOf(service: Service): string {
    const { ordersUrl, paymentsUrl, shippingUrl, notificationsUrl } = this.target;
    return {
      orders: ordersUrl,
      payments: paymentsUrl,
      shipping: shippingUrl,
      notifications: notificationsUrl,
    }[service];
  }
}

/** One customer's view of the platform: every request carries their credentials. */
export class Customer {
  constructor(
    private readonly shop: Storefront,
    readonly id: string,
    readonly credentials: Record<string, string>,
  ) {}

  request<T = unknown>(service: Service, path: string, request: RawRequest = {}) {
    return this.shop.request<T>(service, path, {
      ...request,
      headers: { ...this.credentials, ...request.headers },
    });
  }

  /** POST /orders that must be accepted: anything but 202 fails the flow with the answer. */
  async placeOrder(
    body: object = this.anOrder(),
    idempotencyKey: string = randomUUID(),
  ): Promise<HttpAnswer<OrderView>> {
    const answer = await this.request<OrderView>('orders', '/orders', {
      json: body,
      headers: { 'Idempotency-Key': idempotencyKey },
    });
    if (answer.status !== 202)
      throw new Error(`POST /orders answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer;
  }

  /** A valid order of this customer: 2 × 1250 = 2500 minor units of EUR, to Germany. */
  anOrder(options: Omit<OrderRequestOptions, 'customerId'> = {}) {
    return anOrderRequest({ ...options, customerId: this.id });
  }

  async order(id: string): Promise<OrderView> {
    return this.found<OrderView>('orders', `/orders/${id}`);
  }

  async orders(query: Record<string, string | number> = {}): Promise<Page<OrderView>> {
    return this.found<Page<OrderView>>(
      'orders',
      `/orders?${search({ customerId: this.id, ...query })}`,
    );
  }

  async paymentsOf(orderId: string): Promise<PaymentView[]> {
    return (await this.found<Page<PaymentView>>('payments', `/payments?${search({ orderId })}`))
      .items;
  }

  async shipmentsOf(orderId: string): Promise<ShipmentView[]> {
    return (await this.found<Page<ShipmentView>>('shipping', `/shipments?${search({ orderId })}`))
      .items;
  }

  async notificationsOf(orderId: string): Promise<NotificationView[]> {
    return (
      await this.found<Page<NotificationView>>(
        'notifications',
        `/notifications?${search({ orderId })}`,
      )
    ).items;
  }

  private async found<T>(service: Service, path: string): Promise<T> {
    const answer = await this.request<T>(service, path);
    if (answer.status !== 200)
      throw new Error(`GET ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor?: string | null;
}

export interface OrderView {
  readonly id: string;
  readonly customerId: string;
  readonly status: string;
  readonly total: number;
  readonly currency: string;
  readonly paymentId: string | null;
  readonly shipmentId: string | null;
  readonly trackingNumber: string | null;
  readonly cancelReason: string | null;
  readonly history: Array<{ from: string | null; to: string | null; messageType: string }>;
}

export interface PaymentView {
  readonly id: string;
  readonly orderId: string;
  readonly amount: number;
  readonly status: string;
  readonly refund: { readonly amount: number; readonly reason: string } | null;
}

export interface ShipmentView {
  readonly id: string;
  readonly orderId: string;
  readonly status: string;
  readonly trackingNumber: string | null;
}

export interface NotificationView {
  readonly id: string;
  readonly eventType: string;
  readonly subject: string;
  readonly body: string;
  readonly orderId: string;
  readonly customerId: string | null;
}

function search(query: Record<string, string | number>): string {
  return new URLSearchParams(
    Object.entries(query).map(([name, value]): [string, string] => [name, String(value)]),
  ).toString();
}

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
