import { existsSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { flowsUrls, runFlows } from '../flows/runner-process.js';
import { APPS, isAlive, LauncherProcess } from './launcher-process.js';
import { isListening } from '../../scripts/start/net.js';

/** The business flows (all, or the post-deploy smoke selection) against the launcher's apps. */
async function flowsPassAgainst(launcher: LauncherProcess, args: string[] = []): Promise<void> {
  const at = (port: number) => `http://127.0.0.1:${port}`;
  const result = await runFlows(
    args,
    flowsUrls({
      orders: at(launcher.ports.orders),
      payments: at(launcher.ports.payments),
      shipping: at(launcher.ports.shipping),
      notifications: at(launcher.ports.notifications),
    }),
  );
  expect(result.code, result.output).toBe(0);
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

  it('starts its own nats-server and PostgreSQL on free ports, provisions the streams and consumers, passes the business flows, and stops all of it on Ctrl-C', async () => {
    launcher = await LauncherProcess.start();
    await launcher.running();
    expect(launcher.logs).toContain(`nats://127.0.0.1:${launcher.ports.nats}   started`);
    // Before any app: the apps only look for what they need.
    const provisioned = launcher.logs.indexOf('consumer COMMANDS/payments-ProcessPayment created');
    expect(provisioned).toBeGreaterThan(-1);
    expect(provisioned).toBeLessThan(launcher.logs.indexOf('[payments]'));
    expect(launcher.logs).toMatch(/PostgreSQL .* started: PostgreSQL from /);
    expect(launcher.logs).toContain(`http://localhost:${launcher.ports['flow-view']}/flow`);
    expect(launcher.logs).toContain('TOKEN=$(npm run -s auth:token -- <customerId>)');
    const flow = await fetch(`http://127.0.0.1:${launcher.ports['flow-view']}/flow`);
    expect(flow.status).toBe(200);
    // Metrics on each app's admin port (its port + 1000), as the banner says.
    const admin = launcher.ports.payments + 1_000;
    expect(launcher.logs).toContain(`admin http://localhost:${admin}/metrics`);
    expect((await fetch(`http://127.0.0.1:${admin}/metrics`)).status).toBe(200);
    const started = launcher.startedProcesses();
    expect(started.length).toBeGreaterThanOrEqual(6);

    // Customers are authenticated: the flows get their tokens as the banner says.
    const anonymous = await fetch(`http://127.0.0.1:${launcher.ports.orders}/orders`);
    expect(anonymous.status).toBe(401);
    await flowsPassAgainst(launcher);

    await interruptAndExpectNothingLeft(launcher);
  });

  it('runs the apps on the embedded PostgreSQL (PGlite) where none is installed', async () => {
    launcher = await LauncherProcess.start({ START_POSTGRES_BINARIES: 'none' });
    await launcher.running();
    expect(launcher.logs).toMatch(/PostgreSQL .* started: embedded PGlite/);

    await flowsPassAgainst(launcher, ['--smoke']);

    await interruptAndExpectNothingLeft(launcher);
  });
});
