import { Injectable, type OnModuleInit } from '@nestjs/common';
import { metrics } from '@app/observability';
import { OrderStatus } from '../domain/order.js';
import { OrderStore } from '../domain/order-store.js';

/**
 * Orders parked because their refund never came back, read from the database
 * at scrape time: every replica reports the same count, and it drops by itself
 * when an operator's refund or a late PaymentRefunded ends an order.
 */
@Injectable()
export class StalledRefundsGauge implements OnModuleInit {
  private static registered = false;

  constructor(private readonly orders: OrderStore) {}

  onModuleInit(): void {
    if (StalledRefundsGauge.registered) return;
    StalledRefundsGauge.registered = true;
    metrics.gauge(
      'orders_refund_stalled_orders',
      'Orders parked as REFUND_STALLED: their refund was sent ORDERS_REFUND_ATTEMPTS times and never confirmed; an operator must act',
      [],
      async (gauge) => gauge.set(await this.orders.countInStatus(OrderStatus.RefundStalled)),
    );
  }
}
