/**
 * The page's script, a browser module. Every route it draws comes from
 * GET /flow/topology; it spells no app or message of its own.
 */
import type {
  FlowEvents,
  FlowMessage,
  FlowTopology,
  FlowTopologyMessage,
  MessageKind,
  TrackedOrder,
} from '../flow-wire.js';

interface Point {
  readonly x: number;
  readonly y: number;
}

interface AppNode {
  readonly app: string;
  readonly position: Point;
  readonly group: SVGGElement;
  readonly counts: SVGTextElement;
  sent: number;
  received: number;
}

interface OrderCard {
  readonly item: HTMLLIElement;
  readonly status: HTMLSpanElement;
  readonly detail: HTMLSpanElement;
  readonly path: HTMLSpanElement;
}

/** What POST /orders answers: the order placed, or why not. */
interface PlacedOrder {
  readonly id: string;
  readonly status: TrackedOrder['status'];
  readonly total: number;
  readonly currency: string;
}

interface Refusal {
  readonly message?: string;
  readonly issues?: readonly { readonly path: string; readonly message: string }[];
}

interface OrderRequest {
  readonly customerId: string;
  readonly currency: string;
  readonly items: readonly { sku: string; quantity: number; unitPrice: number }[];
  readonly address: { line1: string; city: string; postalCode: string; country: string };
}

type Outcome = 'completed' | 'declined' | 'refunded';

const SVG = 'http://www.w3.org/2000/svg';
const base = new URL('.', import.meta.url);
// Through the flow view, which passes the order on to the orders API.
const ordersUrl = new URL('orders', base);

const VIEW = { width: 760, height: 460, radius: 56 };
const BEND: Record<MessageKind, number> = { command: 20, event: 36 };
/** Milliseconds between two drawn messages, so a saga reads as a sequence. */
const STAGGER_MS = 280;
const TRAVEL_MS = 800;
const FLOW_LIFETIME_MS = 2400;
const MAX_QUEUED = 30;
const MAX_LOG = 80;
const MAX_ORDERS = 30;

const OUTCOMES: Record<
  Outcome,
  { values: Record<'quantity' | 'unitPrice' | 'country', string | number>; hint: string }
> = {
  completed: {
    values: { quantity: 2, unitPrice: 1250, country: 'DE' },
    hint: 'Paid, shipped, completed.',
  },
  declined: {
    values: { quantity: 1, unitPrice: 200000, country: 'DE' },
    hint: 'Above the payments decline limit (PAYMENTS_DECLINE_ABOVE, 100000 cents by default): cancelled.',
  },
  refunded: {
    values: { quantity: 2, unitPrice: 1250, country: 'ZZ' },
    hint: 'To a country shipping does not serve (SHIPPING_COUNTRIES): paid, refunded, cancelled.',
  },
};

/** An element the markup has; its absence is a bug of the page, not a state to handle. */
function byId<T extends HTMLElement | SVGElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as unknown as T;
}

const diagram = byId<SVGSVGElement>('diagram');
const nodes = new Map<string, AppNode>();
const messages = new Map<string, FlowTopologyMessage>();
const orders = new Map<string, OrderCard>();
const queue: FlowMessage[] = [];
let drawing = false;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number> = {},
  parent?: Element,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  parent?.appendChild(element);
  return element;
}

function html<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
  parent?: Element,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  parent?.appendChild(element);
  return element;
}

function drawNodes(apps: readonly string[]): void {
  const defs = svg('defs', {}, diagram);
  for (const kind of ['command', 'event'] as const) {
    const marker = svg(
      'marker',
      {
        id: `arrow-${kind}`,
        viewBox: '0 0 10 10',
        refX: 8,
        refY: 5,
        markerWidth: 9,
        markerHeight: 9,
        markerUnits: 'userSpaceOnUse',
        orient: 'auto-start-reverse',
      },
      defs,
    );
    svg('path', { d: 'M0,0 L10,5 L0,10 z' }, marker);
  }
  svg('g', { id: 'flows' }, diagram);
  const layer = svg('g', { id: 'nodes' }, diagram);
  const centre = { x: VIEW.width / 2, y: VIEW.height / 2 };
  const spread = { x: VIEW.width / 2 - VIEW.radius - 40, y: VIEW.height / 2 - VIEW.radius - 44 };
  apps.forEach((app, index) => {
    // Evenly around an ellipse, the first app on the left.
    const angle = Math.PI + (2 * Math.PI * index) / apps.length;
    const position = {
      x: centre.x + spread.x * Math.cos(angle),
      y: centre.y + spread.y * Math.sin(angle),
    };
    const group = svg(
      'g',
      { class: 'node', 'data-app': app, transform: `translate(${position.x},${position.y})` },
      layer,
    );
    svg('circle', { class: 'halo', r: VIEW.radius + 4 }, group);
    svg('circle', { class: 'body', r: VIEW.radius }, group);
    svg('text', { class: 'name', y: -2 }, group).textContent = app;
    const counts = svg('text', { class: 'counts', y: 16 }, group);
    const node: AppNode = { app, position, group, counts, sent: 0, received: 0 };
    nodes.set(app, node);
    updateCounts(node);
  });
}

function updateCounts(node: AppNode): void {
  node.counts.textContent = `${node.sent} out · ${node.received} in`;
}

function unit(from: Point, to: Point): Point {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy) || 1;
  return { x: dx / length, y: dy / length };
}

/** A gentle curve bent to the right of travel, so the two directions between two apps never overlap. */
function wire(from: Point, to: Point, bend: number): { d: string; middle: Point } {
  const along = unit(from, to);
  const control = {
    x: (from.x + to.x) / 2 - along.y * bend,
    y: (from.y + to.y) / 2 + along.x * bend,
  };
  const out = unit(from, control);
  const back = unit(to, control);
  const start = { x: from.x + out.x * (VIEW.radius + 2), y: from.y + out.y * (VIEW.radius + 2) };
  const end = { x: to.x + back.x * (VIEW.radius + 6), y: to.y + back.y * (VIEW.radius + 6) };
  const middle = {
    x: 0.25 * start.x + 0.5 * control.x + 0.25 * end.x,
    y: 0.25 * start.y + 0.5 * control.y + 0.25 * end.y,
  };
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    d: `M${round(start.x)},${round(start.y)} Q${round(control.x)},${round(control.y)} ${round(end.x)},${round(end.y)}`,
    middle,
  };
}

function packet(group: SVGGElement, d: string): void {
  const dot = svg('circle', { class: 'packet', r: 6, cx: 0, cy: 0 }, group);
  const motion = svg(
    'animateMotion',
    {
      dur: `${TRAVEL_MS}ms`,
      fill: 'freeze',
      path: d,
      begin: 'indefinite',
      calcMode: 'spline',
      keyTimes: '0;1',
      keySplines: '0.4 0 0.2 1',
    },
    dot,
  );
  motion.beginElement();
}

function arrive(apps: readonly string[], kind: MessageKind): void {
  setTimeout(() => {
    for (const app of apps) {
      const node = nodes.get(app);
      if (!node) continue;
      node.group.classList.add('receiving', `by-${kind}`);
      setTimeout(() => node.group.classList.remove('receiving', `by-${kind}`), 700);
    }
  }, TRAVEL_MS);
}

/** A command: one arrow to its one receiver. An event: a fan-out to every subscriber. */
function drawFlow(message: FlowMessage): void {
  const route = messages.get(message.name);
  const origin = route && nodes.get(route.from[0] ?? '');
  if (!route || !origin) return;
  const flows = byId<SVGGElement>('flows');
  // Earlier messages on the same route step back, so their labels do not pile up.
  for (const earlier of flows.querySelectorAll(
    `[data-from="${origin.app}"][data-flow-kind="${route.kind}"]`,
  )) {
    earlier.classList.add('superseded');
  }
  const group = svg(
    'g',
    {
      class: `flow ${route.kind}`,
      'data-flow-kind': route.kind,
      'data-message': route.name,
      'data-from': origin.app,
      'data-to': route.to.join(','),
      'data-order-id': message.orderId ?? '',
    },
    flows,
  );
  if (route.kind === 'event') {
    svg(
      'circle',
      { class: 'ripple', cx: origin.position.x, cy: origin.position.y, r: VIEW.radius },
      group,
    );
  }
  let labelAt: Point | null = null;
  for (const app of route.to) {
    const target = nodes.get(app);
    if (!target) continue;
    const path = wire(origin.position, target.position, BEND[route.kind]);
    const line = svg(
      'path',
      { class: 'wire', d: path.d, 'data-to': app, 'marker-end': `url(#arrow-${route.kind})` },
      group,
    );
    line.style.setProperty('--length', String(Math.ceil(line.getTotalLength())));
    packet(group, path.d);
    if (route.kind === 'command') labelAt = path.middle;
  }
  if (!labelAt) {
    // An event is named once, beside its publisher, where the fan-out starts.
    const outward = unit({ x: VIEW.width / 2, y: VIEW.height / 2 }, origin.position);
    labelAt = { x: origin.position.x - outward.x * 4, y: origin.position.y - VIEW.radius - 14 };
  }
  const label = svg(
    'text',
    { class: 'label', x: labelAt.x, y: labelAt.y, 'text-anchor': 'middle' },
    group,
  );
  label.textContent = route.name;
  arrive(route.to, route.kind);
  setTimeout(() => group.remove(), FLOW_LIFETIME_MS);
}

function drawNext(): void {
  const message = queue.shift();
  if (!message) {
    drawing = false;
    return;
  }
  drawing = true;
  drawFlow(message);
  setTimeout(drawNext, STAGGER_MS);
}

function enqueue(message: FlowMessage): void {
  queue.push(message);
  if (queue.length > MAX_QUEUED) queue.splice(0, queue.length - MAX_QUEUED);
  if (!drawing) drawNext();
}

function time(at: number): string {
  const date = new Date(at);
  const milliseconds = String(date.getMilliseconds()).padStart(3, '0');
  return `${date.toLocaleTimeString([], { hour12: false })}.${milliseconds}`;
}

function shortId(id: string | null): string {
  return id ? id.slice(0, 8) : '';
}

function log(message: FlowMessage): void {
  const route = messages.get(message.name);
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

function count(message: FlowMessage): void {
  const route = messages.get(message.name);
  if (!route) return;
  for (const [apps, side] of [
    [route.from, 'sent'],
    [route.to, 'received'],
  ] as const) {
    for (const app of apps) {
      const node = nodes.get(app);
      if (!node) continue;
      node[side] += 1;
      updateCounts(node);
    }
  }
}

function orderCard(id: string): OrderCard {
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

function showOrder(order: Pick<TrackedOrder, 'id' | 'status' | 'path'> & { lastMessage?: string }) {
  const card = orderCard(order.id);
  card.item.dataset.status = order.status;
  card.status.dataset.status = order.status;
  card.status.textContent = order.status;
  card.path.replaceChildren(...order.path.map((status) => html('span', 'step', status)));
  if (order.lastMessage) card.item.title = `last message: ${order.lastMessage}`;
}

function describePlaced(body: OrderRequest, placed: PlacedOrder): void {
  const card = orderCard(placed.id);
  card.item.classList.add('placed-here');
  const [item] = body.items;
  card.detail.hidden = false;
  const total = `${(placed.total / 100).toFixed(2)} ${placed.currency}`;
  card.detail.textContent = `${item?.quantity} × ${item?.sku} · ${total} · to ${body.address.country}`;
  if (!card.item.dataset.status) {
    showOrder({ id: placed.id, status: placed.status, path: [placed.status] });
  }
}

/** A Server-Sent Event of GET /flow/stream, with the data it carries. */
function onFlowEvent<E extends keyof FlowEvents>(
  stream: EventSource,
  name: E,
  handle: (data: FlowEvents[E]) => void,
): void {
  stream.addEventListener(name, (event) => {
    handle(JSON.parse((event as MessageEvent<string>).data) as FlowEvents[E]);
  });
}

function connect(): void {
  const connection = byId('connection');
  const stream = new EventSource(new URL('stream', base));
  onFlowEvent(stream, 'snapshot', (snapshot) => {
    for (const order of snapshot.orders.slice().reverse()) showOrder(order);
    connection.dataset.connection = 'live';
    connection.textContent = 'live';
    byId<HTMLButtonElement>('place-order').disabled = false;
  });
  onFlowEvent(stream, 'messages', (batch) => {
    for (const update of batch.updates) {
      log(update.message);
      count(update.message);
      if (update.order) showOrder(update.order);
      enqueue(update.message);
    }
    if (batch.skipped > 0) {
      const note = byId('skipped');
      note.hidden = false;
      note.textContent = `${batch.skipped} messages went by too fast to show.`;
    }
  });
  stream.addEventListener('error', () => {
    connection.dataset.connection = 'offline';
    connection.textContent = 'reconnecting…';
  });
}

/** crypto.randomUUID exists only in secure contexts: the page may be served over plain HTTP. */
function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The form's named inputs, by name. */
function field(form: HTMLFormElement, name: string): HTMLInputElement {
  const element = form.elements.namedItem(name);
  if (!(element instanceof HTMLInputElement)) throw new Error(`the form has no input ${name}`);
  return element;
}

function chosenOutcome(form: HTMLFormElement): Outcome {
  const chosen = form.querySelector<HTMLInputElement>('input[name="outcome"]:checked');
  const value = chosen?.value ?? 'completed';
  return value in OUTCOMES ? (value as Outcome) : 'completed';
}

function chooseOutcome(form: HTMLFormElement): void {
  const outcome = OUTCOMES[chosenOutcome(form)];
  for (const [name, value] of Object.entries(outcome.values))
    field(form, name).value = String(value);
  byId('outcome-hint').textContent = outcome.hint;
}

async function placeOrder(form: HTMLFormElement): Promise<void> {
  const value = (name: string) => field(form, name).value.trim();
  const result = byId('form-result');
  const body: OrderRequest = {
    customerId: uuid(),
    currency: value('currency').toUpperCase(),
    items: [
      {
        sku: value('sku'),
        quantity: Number(value('quantity')),
        unitPrice: Number(value('unitPrice')),
      },
    ],
    address: {
      line1: '1 Example Street',
      city: value('city'),
      postalCode: '10115',
      country: value('country').toUpperCase(),
    },
  };
  result.className = 'form-result';
  result.textContent = 'placing…';
  try {
    const response = await fetch(ordersUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': uuid() },
      body: JSON.stringify(body),
    });
    const answer: unknown = await response.json();
    if (response.status !== 202) {
      const refusal = answer as Refusal;
      const issues = (refusal.issues ?? []).map((issue) => `${issue.path}: ${issue.message}`);
      result.classList.add('error');
      result.textContent = `${response.status} ${[refusal.message, ...issues].join('; ')}`;
      return;
    }
    const placed = answer as PlacedOrder;
    result.dataset.orderId = placed.id;
    result.textContent = `Placed order ${shortId(placed.id)}: ${placed.status}`;
    describePlaced(body, placed);
  } catch (error) {
    result.classList.add('error');
    result.textContent = `could not place the order: ${(error as Error).message}`;
  }
}

async function start(): Promise<void> {
  const form = byId<HTMLFormElement>('order-form');
  form.addEventListener('change', (event) => {
    if ((event.target as HTMLInputElement | null)?.name === 'outcome') chooseOutcome(form);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void placeOrder(form);
  });
  chooseOutcome(form);
  const topology = (await (await fetch(new URL('topology', base))).json()) as FlowTopology;
  for (const message of topology.messages) messages.set(message.name, message);
  drawNodes(topology.apps);
  connect();
}

start().catch((error: unknown) => {
  const connection = byId('connection');
  connection.dataset.connection = 'offline';
  connection.textContent = `failed: ${(error as Error).message}`;
});
