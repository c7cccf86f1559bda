/** The form that places a demo order through the flow view, and what became of it. */
import type { TrackedOrder } from '../flow-wire.js';
import { orderCard, showOrder } from './activity.js';
import { byId } from './dom.js';
import { shortId } from './routes.js';

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

// Through the flow view, which passes the order on to the orders API.
const ordersUrl = new URL('orders', new URL('.', import.meta.url));

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

export function chooseOutcome(form: HTMLFormElement): void {
  const outcome = OUTCOMES[chosenOutcome(form)];
  for (const [name, value] of Object.entries(outcome.values))
    field(form, name).value = String(value);
  byId('outcome-hint').textContent = outcome.hint;
}

export async function placeOrder(form: HTMLFormElement): Promise<void> {
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
