import { Body, Controller, Headers, HttpStatus, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { OrdersApi, OrdersUnreachable } from './orders-api.js';

/** Headers of the page's request that orders needs too. */
const PASSED_ON = ['idempotency-key', 'x-request-id'] as const;

/**
 * The page's form places its orders here, and this passes them on to the
 * orders API: the page needs no origin but its own, and orders no CORS.
 */
@Controller('flow/orders')
export class DemoOrdersController {
  constructor(private readonly orders: OrdersApi) {}

  @Post()
  async place(
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Res() response: Response,
  ): Promise<void> {
    const passed = Object.fromEntries(
      PASSED_ON.flatMap((name) => (headers[name] ? [[name, headers[name]]] : [])),
    );
    try {
      const answer = await this.orders.placeOrder(body, passed);
      response.status(answer.status).json(answer.body);
    } catch (error) {
      if (!(error instanceof OrdersUnreachable)) throw error;
      response.status(HttpStatus.BAD_GATEWAY).json({ message: error.message });
    }
  }
}
