import { Inject, Injectable } from '@nestjs/common';
import { FLOW_VIEW_CONFIG, type FlowViewConfig } from '../config.js';
import { DemoCustomerTokens } from './demo-customer-tokens.js';

/** What orders answered: its status and its JSON body, passed on as they are. */
export interface OrdersAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** Orders does not answer: reported to the page as 502, with why. */
export class OrdersUnreachable extends Error {}

const ANSWER_WITHIN_MS = 10_000;

/** The orders HTTP API, as the demo form uses it: POST /orders, nothing else. */
@Injectable()
export class OrdersApi {
  private readonly placeUrl: URL;
  private readonly tokens: DemoCustomerTokens | null;

  constructor(@Inject(FLOW_VIEW_CONFIG) config: FlowViewConfig) {
    this.tokens = DemoCustomerTokens.from(config);
    const base = config.FLOW_VIEW_ORDERS_URL;
    // Relative to the base, so that a path prefix (a gateway's) is kept.
    this.placeUrl = new URL('orders', base.endsWith('/') ? base : `${base}/`);
  }

  async placeOrder(body: unknown, headers: Record<string, string>): Promise<OrdersAnswer> {
    const customerId = (body as { customerId?: unknown } | null)?.customerId;
    if (this.tokens && typeof customerId === 'string') {
      headers = { ...headers, Authorization: `Bearer ${await this.tokens.sign(customerId)}` };
    }
    let response: Response;
    try {
      response = await fetch(this.placeUrl, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
      });
    } catch (error) {
      throw new OrdersUnreachable(
        `orders at ${this.placeUrl.origin} did not answer: ${reason(error)}`,
      );
    }
    const text = await response.text();
    return { status: response.status, body: parsed(text) };
  }
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

function reason(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : (error as Error).message;
}
