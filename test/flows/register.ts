import { it } from 'vitest';
import { FLOWS } from './catalog.js';
import type { Flow } from './flow.js';
import { Storefront } from './storefront.js';
import type { FlowTarget } from './target.js';

export interface FlowSelection {
  /** Only the flows of the quick post-deploy check. */
  readonly smoke?: boolean;
  /** Only these flows. */
  readonly only?: readonly Flow[];
}

// A backstop only: every step of a flow has its own, shorter bound.
const FLOW_TIMEOUT_MS = 300_000;

/**
 * Registers the selected flows as tests of the calling file, against the
 * target `target` gives when they run (a suite may start it in `beforeAll`).
 * A flow the target cannot run is reported as skipped, with the reason.
 */
export function registerFlows(target: () => FlowTarget, selection: FlowSelection = {}): void {
  const flows = FLOWS.filter(
    (flow) =>
      (!selection.smoke || flow.smoke) && (!selection.only || selection.only.includes(flow)),
  );
  for (const flow of flows) {
    it(
      flow.name,
      async (context) => {
        const resolved = target();
        const unsupported = flow.unsupportedBy?.(resolved);
        if (unsupported) context.skip(unsupported);
        await flow.run(new Storefront(resolved));
      },
      FLOW_TIMEOUT_MS,
    );
  }
}
