import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

export interface FlowsRun {
  readonly code: number | null;
  readonly output: string;
}

/** `npm run test:flows -- <args>` as a user runs it, with `env` added to this process's. */
export function runFlows(args: readonly string[], env: Record<string, string>): Promise<FlowsRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/flows/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', fail);
    child.on('exit', (code) => done({ code, output }));
  });
}

/** The FLOWS_* variables that point the flows at four base URLs. */
export function flowsUrls(urls: {
  orders: string;
  payments: string;
  shipping: string;
  notifications: string;
}): Record<string, string> {
  return {
    FLOWS_ORDERS_URL: urls.orders,
    FLOWS_PAYMENTS_URL: urls.payments,
    FLOWS_SHIPPING_URL: urls.shipping,
    FLOWS_NOTIFICATIONS_URL: urls.notifications,
  };
}
