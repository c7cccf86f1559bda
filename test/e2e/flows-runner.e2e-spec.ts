import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowsUrls, runFlows } from '../flows/runner-process.js';
import { freePort } from '../support/ports.js';
import { Platform } from './platform.js';

const STEP_TIMEOUT_MS = 4_000;

describe('npm run test:flows against a running deployment', () => {
  let platform: Platform;
  let reports: string;

  const targetEnv = () => {
    const target = platform.flowTarget();
    return {
      ...flowsUrls({
        orders: target.ordersUrl,
        payments: target.paymentsUrl,
        shipping: target.shippingUrl,
        notifications: target.notificationsUrl,
      }),
      FLOWS_STEP_TIMEOUT_MS: String(STEP_TIMEOUT_MS),
    };
  };

  beforeAll(async () => {
    platform = await Platform.start();
    reports = mkdtempSync(join(tmpdir(), 'flows-'));
  });

  afterAll(async () => {
    await platform?.dispose();
    if (reports) rmSync(reports, { recursive: true, force: true });
  });

  it('passes against a healthy deployment, with a summary line per flow and a JUnit report', async () => {
    const junit = join(reports, 'healthy.xml');
    const result = await runFlows(['--junit', junit], targetEnv());
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(
      /an order completes with one payment, one shipment .* +\d+\.\d s {2}passed/,
    );
    expect(result.output).toMatch(/a paid order not shipped by the shipping deadline .*skipped: /);
    const report = readFileSync(junit, 'utf8');
    expect(report).toMatch(/<testsuites [^>]*tests="10" failures="0"/);
  });

  it('fails naming the flow and the step when shipping refuses every country', async () => {
    await platform.stop('shipping');
    await platform.startReplica('shipping', { SHIPPING_COUNTRIES: 'AQ' });
    const junit = join(reports, 'no-shipping.xml');

    const result = await runFlows(['--smoke', '--junit', junit], targetEnv());

    expect(result.code).toBe(1);
    expect(result.output).toMatch(/an order completes with one payment, one shipment .* +FAILED/);
    expect(result.output).toContain(
      `step "order shipped" did not happen within ${STEP_TIMEOUT_MS / 1000} s`,
    );
    expect(readFileSync(junit, 'utf8')).toMatch(/<failure [^>]*step &quot;order shipped&quot;/);
  });

  it('fails naming the payment step when payments is down', async () => {
    const env = targetEnv();
    await platform.stop('payments');

    const result = await runFlows(['--smoke'], env);

    expect(result.code).toBe(1);
    expect(result.output).toMatch(/payments at http:\S+ does not answer/);
    expect(result.output).toContain(
      `step "payment completed" did not happen within ${STEP_TIMEOUT_MS / 1000} s`,
    );
  });

  it('says what to start, and runs no flow, where nothing answers', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const result = await runFlows(
      [],
      flowsUrls({ orders: closed, payments: closed, shipping: closed, notifications: closed }),
    );

    expect(result.code).toBe(1);
    expect(result.output).toContain(`orders at ${closed} does not answer (ECONNREFUSED)`);
    expect(result.output).toContain('start the platform (npm start, docker compose up)');
    expect(result.output).not.toMatch(/an order completes/);
  });
});
