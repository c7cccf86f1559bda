import { catalog, originsOf, participantNames, recipientsOf } from '@app/contracts';
import type { FlowTopology } from './flow-wire.js';

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
  };
}
