import type { Order } from '../domain/order.js';
import type { HistoryEntry } from '../domain/order-store.js';

/** The order as the HTTP API shows it; the domain's shape stays free to change. */
export function orderView(order: Order) {
  return {
    id: order.id,
    customerId: order.customerId,
    status: order.status,
    currency: order.currency,
    total: order.total,
    items: order.items,
    address: order.address,
    paymentId: order.paymentId,
    shipmentId: order.shipmentId,
    trackingNumber: order.trackingNumber,
    cancelReason: order.cancelReason,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

export function historyView(history: readonly HistoryEntry[]) {
  const step = (entry: HistoryEntry) => ({
    from: entry.from,
    to: entry.to,
    messageType: entry.messageType,
    messageId: entry.messageId,
    at: entry.at.toISOString(),
  });
  return {
    history: history
      .filter((entry) => !entry.ignored)
      .map((entry) => (entry.note ? { ...step(entry), note: entry.note } : step(entry))),
    ignoredMessages: history
      .filter((entry) => entry.ignored)
      .map((entry) => ({ ...step(entry), reason: entry.note })),
  };
}
