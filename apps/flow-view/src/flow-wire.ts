/**
 * What the server sends the page, in one place for both: the server's code and
 * the page's script are checked against these types. No imports, so the
 * page's own tsconfig (a browser, no Node) can read it too.
 */

export type MessageKind = 'command' | 'event';

export type OrderStatus =
  'PENDING' | 'PAID' | 'COMPLETED' | 'REFUNDING' | 'REFUND_STALLED' | 'CANCELLED';

/** One message seen on the wire, as the page draws it. */
export interface FlowMessage {
  readonly name: string;
  readonly kind: MessageKind;
  /** The order it belongs to (its correlation id), when it carries one. */
  readonly orderId: string | null;
  /** Milliseconds since the epoch, when the flow view saw it. */
  readonly at: number;
}

export interface TrackedOrder {
  readonly id: string;
  readonly status: OrderStatus;
  /** The statuses it went through, oldest first, as the view saw them. */
  readonly path: readonly OrderStatus[];
  readonly lastMessage: string;
  readonly updatedAt: number;
}

export interface FlowTopologyMessage {
  readonly name: string;
  readonly kind: MessageKind;
  readonly subject: string;
  /** Who puts it on the wire. */
  readonly from: readonly string[];
  /** Who gets it: the one receiver of a command, every subscriber of an event. */
  readonly to: readonly string[];
}

/** What the page draws: the apps as nodes, and every message with its ends (GET /flow/topology). */
export interface FlowTopology {
  readonly apps: readonly string[];
  readonly messages: readonly FlowTopologyMessage[];
}

export interface FlowUpdate {
  readonly message: FlowMessage;
  readonly order?: TrackedOrder | undefined;
}

/** The Server-Sent Events of GET /flow/stream, by event name. */
export interface FlowEvents {
  /** First, once the subscription is in place: the orders seen so far, most recently active first. */
  readonly snapshot: { readonly orders: readonly TrackedOrder[] };
  /** Then every tick with news: the messages, oldest first, and how many were dropped. */
  readonly messages: { readonly updates: readonly FlowUpdate[]; readonly skipped: number };
}
