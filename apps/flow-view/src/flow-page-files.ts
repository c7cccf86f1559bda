import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The page as built (dist/apps/flow-view/page), read once at start-up. */
export interface FlowPage {
  readonly html: string;
  readonly script: string;
  readonly styles: string;
}

export const FLOW_PAGE = Symbol('FLOW_PAGE');

/** Fails at start-up, not at the first visit, when the build left a file out. */
export function readFlowPage(directory: string): FlowPage {
  const read = (file: string) => readFileSync(join(directory, file), 'utf8');
  return {
    html: read('flow-page.html'),
    script: read('flow-page.js'),
    styles: read('flow-page.css'),
  };
}
