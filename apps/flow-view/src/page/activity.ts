/** The log of recent messages and the cards of recent orders, beside the diagram. */
import type { FlowMessage, TrackedOrder } from '../flow-wire.js';
import { byId, html } from './dom.js';
import { routes, shortId } from './routes.js';

interface OrderCard {
  readonly item: HTMLLIElement;
  readonly status: HTMLSpanElement;
  readonly detail: HTMLSpanElement;
  readonly path: HTMLSpanElement;
}

const MAX_LOG = 80;
const MAX_ORDERS = 30;
const orders = new Map<string, OrderCard>();

function time(at: number): string {
  const date = new Date(at);
  const milliseconds = String(date.getMilliseconds()).padStart(3, '0');
  return `${date.toLocaleTimeString([], { hour12: false })}.${milliseconds}`;
}

export function log(message: FlowMessage): void {
  const route = routes.get(message.name);
  if (!route) return;
  const list = byId<HTMLOListElement>('log');
  const row = document.createElement('li');
  row.dataset.kind = route.kind;
  row.dataset.message = route.name;
  row.dataset.from = route.from.join(',');
  row.dataset.to = route.to.join(',');
  html('span', 'time', time(message.at), row);
  html('span', `kind ${route.kind}`, route.kind, row);
  html('span', 'name', route.name, row);
  const to = route.to.join(', ') || 'no subscriber';
  html('span', 'route', `${route.from.join(', ')} → ${to}`, row);
  html('span', 'order-ref', message.orderId ? `order ${shortId(message.orderId)}` : '', row);
  list.prepend(row);
  while (list.children.length > MAX_LOG) list.lastElementChild?.remove();
}

export function orderCard(id: string): OrderCard {
  const known = orders.get(id);
  if (known) return known;
  const list = byId<HTMLOListElement>('orders');
  const item = document.createElement('li');
  item.className = 'order';
  item.dataset.orderId = id;
  const title = html('span', 'id', `order ${shortId(id)}`, item);
  title.title = id;
  const status = html('span', 'status', '', item);
  const detail = html('span', 'detail', '', item);
  detail.hidden = true;
  const path = html('span', 'path', '', item);
  const card = { item, status, detail, path };
  orders.set(id, card);
  list.prepend(item);
  while (list.children.length > MAX_ORDERS) {
    const oldest = list.lastElementChild as HTMLLIElement;
    orders.delete(oldest.dataset.orderId ?? '');
    oldest.remove();
  }
  byId('no-orders').hidden = true;
  byId('orders-count').textContent = `(${orders.size})`;
  return card;
}

export function showOrder(
  order: Pick<TrackedOrder, 'id' | 'status' | 'path'> & { lastMessage?: string },
) {
  const card = orderCard(order.id);
  card.item.dataset.status = order.status;
  card.status.dataset.status = order.status;
  card.status.textContent = order.status;
  card.path.replaceChildren(...order.path.map((status) => html('span', 'step', status)));
  if (order.lastMessage) card.item.title = `last message: ${order.lastMessage}`;
}
