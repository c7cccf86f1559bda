/**
 * The page's script, a browser module. Every route it draws comes from
 * GET /flow/topology; it spells no app or message of its own.
 */
import type { FlowEvents, FlowTopology } from '../flow-wire.js';
import { log, showOrder } from './activity.js';
import { count, drawNodes, enqueue } from './diagram.js';
import { byId } from './dom.js';
import { chooseOutcome, placeOrder } from './order-form.js';
import { routes } from './routes.js';

const base = new URL('.', import.meta.url);

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
  for (const message of topology.messages) routes.set(message.name, message);
  drawNodes(topology.apps);
  connect();
}

start().catch((error: unknown) => {
  const connection = byId('connection');
  connection.dataset.connection = 'offline';
  connection.textContent = `failed: ${(error as Error).message}`;
});
