import type { FlowTopologyMessage } from '../flow-wire.js';

/** Each message's route (sender, receivers, kind), as GET /flow/topology gives it. */
export const routes = new Map<string, FlowTopologyMessage>();

export function shortId(id: string | null): string {
  return id ? id.slice(0, 8) : '';
}
