import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { APPS, isAlive, LauncherProcess } from './launcher-process.js';
import { customerToken } from '../../scripts/auth/tokens.js';
import { isListening } from '../../scripts/start/net.js';

const anOrder = () => ({
  customerId: randomUUID(),
  currency: 'EUR',
  items: [{ sku: 'BOOK-42', quantity: 2, unitPrice: 1250 }],
  address: { line1: '1 Example St', city: 'Berlin', postalCode: '10115', country: 'DE' },
});

/** As the README's curl lines do it: a demo customer's token, then the order. */
async function placeOrderAndAwaitCompletion(ordersPort: number): Promise<void> {
  const order = anOrder();
  const authorization = `Bearer ${await customerToken(order.customerId)}`;
  const unauthenticated = await fetch(`http://127.0.0.1:${ordersPort}/orders`);
  expect(unauthenticated.status).toBe(401);
  const placed = await fetch(`http://127.0.0.1:${ordersPort}/orders`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'Idempotency-Key': randomUUID(),
      Authorization: authorization,
    },
    body: JSON.stringify(order),
  });
  expect(placed.status).toBe(202);
  const location = placed.headers.get('location');
  expect(location).toMatch(/^\/orders\//);
  await eventually(
    async () => {
      const answer = await fetch(`http://127.0.0.1:${ordersPort}${location}`, {
        headers: { Authorization: authorization },
      });
      expect(((await answer.json()) as { status: string }).status).toBe('COMPLETED');
    },
    { timeoutMs: 30_000, what: 'the order COMPLETED' },
  );
}

/** Ctrl-C: the launcher exits 0, and every process and port it started is gone. */
async function interruptAndExpectNothingLeft(launcher: LauncherProcess): Promise<void> {
  const started = launcher.startedProcesses();
  launcher.interrupt();
  expect(await launcher.exited).toBe(0);
  await eventually(() => expect(started.filter(isAlive)).toEqual([]), {
    timeoutMs: 10_000,
    what: 'every started process gone',
  });
  const ports = Object.values(launcher.ports);
  const open = await Promise.all(ports.map((port) => isListening(port)));
  expect(ports.filter((_, index) => open[index])).toEqual([]);
}

describe('npm start', () => {
  let launcher: LauncherProcess | undefined;

  beforeAll(() => {
    for (const app of APPS) {
      if (!existsSync(`dist/apps/${app}/main.js`)) {
        throw new Error(`dist/apps/${app}/main.js is missing: run "npm run build" first`);
      }
    }
  });

  afterEach(async () => {
    await launcher?.dispose();
    launcher = undefined;
  });

  it('starts its own nats-server and PostgreSQL on free ports, completes an order, and stops all of it on Ctrl-C', async () => {
    launcher = await LauncherProcess.start();
    await launcher.running();
    expect(launcher.logs).toContain(`nats://127.0.0.1:${launcher.ports.nats}   started`);
    expect(launcher.logs).toMatch(/PostgreSQL .* started: PostgreSQL from /);
    expect(launcher.logs).toContain(`http://localhost:${launcher.ports['flow-view']}/flow`);
    expect(launcher.logs).toContain('TOKEN=$(npm run -s auth:token -- <customerId>)');
    const flow = await fetch(`http://127.0.0.1:${launcher.ports['flow-view']}/flow`);
    expect(flow.status).toBe(200);
    const started = launcher.startedProcesses();
    expect(started.length).toBeGreaterThanOrEqual(6);

    await placeOrderAndAwaitCompletion(launcher.ports.orders);

    await interruptAndExpectNothingLeft(launcher);
  });

  it('runs the apps on the embedded PostgreSQL (PGlite) where none is installed', async () => {
    launcher = await LauncherProcess.start({ START_POSTGRES_BINARIES: 'none' });
    await launcher.running();
    expect(launcher.logs).toMatch(/PostgreSQL .* started: embedded PGlite/);

    await placeOrderAndAwaitCompletion(launcher.ports.orders);

    await interruptAndExpectNothingLeft(launcher);
  });
});
