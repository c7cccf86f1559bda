import { z } from 'zod';
import { address, currency, id, quantity, sku } from '@app/contracts';
import { orderStatuses } from '../domain/order.js';

/** Per item; with at most 100 items of 1000 each the total stays an exact integer. */
const MAX_UNIT_PRICE = 10_000_000_000;

export const placeOrderBody = z.strictObject({
  customerId: id
    .optional()
    .describe('required without a bearer token; with one, the token subject or left out'),
  currency,
  items: z
    .array(
      z.strictObject({
        sku,
        quantity,
        unitPrice: z.number().int().min(0).max(MAX_UNIT_PRICE).describe('minor units (cents)'),
      }),
    )
    .min(1, 'an order needs at least one item')
    .max(100, 'an order has at most 100 items'),
  address,
});
export type PlaceOrderBody = z.infer<typeof placeOrderBody>;

export const idempotencyKeyHeader = z.string().min(1).max(200).optional();

export const orderIdParam = id;

export const listOrdersQuery = z.strictObject({
  customerId: id.optional().describe('with a bearer token, the token subject or left out'),
  status: z.enum(orderStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(200).optional(),
});
export type ListOrdersQueryParams = z.infer<typeof listOrdersQuery>;

const status = z.enum(orderStatuses);
const timestamp = z.iso.datetime();

export const orderResponse = z.object({
  id,
  customerId: id,
  status,
  currency: z.string(),
  total: z.number().int().describe('minor units (cents)'),
  items: z.array(
    z.object({ sku: z.string(), quantity: z.number().int(), unitPrice: z.number().int() }),
  ),
  address,
  paymentId: id.nullable(),
  shipmentId: id.nullable(),
  trackingNumber: z.string().nullable(),
  cancelReason: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

const historyStep = z.object({
  from: status.nullable(),
  to: status.nullable(),
  messageType: z.string().describe('the message (or PlaceOrder, or a deadline) that caused it'),
  messageId: z.string().describe('its Nats-Msg-Id, or the HTTP request id'),
  at: timestamp,
});

export const orderDetailsResponse = orderResponse.extend({
  history: z
    .array(
      historyStep.extend({
        note: z.string().optional().describe('why, when the step says so (a parked order)'),
      }),
    )
    .describe('every transition, oldest first'),
  ignoredMessages: z
    .array(historyStep.extend({ reason: z.string() }))
    .describe('messages that did not fit the state: recorded, not applied'),
});

export const orderPageResponse = z.object({
  items: z.array(orderResponse),
  nextCursor: z.string().nullable().describe('pass as cursor for the next, older page'),
});
