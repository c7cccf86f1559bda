import {
  catalog,
  originsOf,
  participantNames,
  recipientsOf,
  type MessageKind,
} from '@app/contracts';
import { orderStatuses, type OrderStatus } from '../domain/order.js';

export interface FlowTopologyMessage {
  readonly name: string;
  readonly kind: MessageKind;
  readonly subject: string;
  /** Who puts it on the wire. */
  readonly from: readonly string[];
  /** Who gets it: the one receiver of a command, every subscriber of an event. */
  readonly to: readonly string[];
}

/** What the page draws: the apps as nodes, and every message with its ends. */
export interface FlowTopology {
  readonly apps: readonly string[];
  readonly messages: readonly FlowTopologyMessage[];
  readonly statuses: readonly OrderStatus[];
}

/** Derived from the catalog and its participants, so the page spells no route of its own. */
export function flowTopology(): FlowTopology {
  return {
    apps: participantNames(),
    messages: catalog.map((message) => ({
      name: message.name,
      kind: message.kind,
      subject: message.subject,
      from: originsOf(message),
      to: recipientsOf(message),
    })),
    statuses: orderStatuses,
  };
}
