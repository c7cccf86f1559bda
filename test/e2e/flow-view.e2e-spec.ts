import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type ElementHandle, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderShipped, ProcessPayment, recipientsOf } from '@app/contracts';
import { Platform } from './platform.js';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The names of the apps each drawn wire of a flow points to. */
async function wiresOf(flow: ElementHandle): Promise<string[]> {
  const wires = await flow.$$('path.wire');
  return Promise.all(wires.map(async (wire) => (await wire.getAttribute('data-to')) ?? ''));
}

/** The flow view is an operator's page: the browser answers its challenge with the token as password. */
const ADMIN_TOKEN = randomBytes(24).toString('base64url');

describe('the live view of the message flow, behind the operator token', () => {
  let platform: Platform;
  let profile: string;
  let browser: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    platform = await Platform.start({ flowView: { ADMIN_TOKEN } });
    profile = mkdtempSync(join(tmpdir(), 'flow-view-browser-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      httpCredentials: { username: 'operator', password: ADMIN_TOKEN },
    });
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await platform?.dispose();
  });

  it('shows an order placed from its form reaching COMPLETED, commands as one arrow and events fanned out to every subscriber', async () => {
    await page.goto(`${platform.flowView.baseUrl}/flow`);
    // Live once the stream is subscribed: nothing placed after this is missed.
    await page.waitForSelector('#connection[data-connection="live"]', { timeout: 15_000 });

    // Flows stay drawn for a moment only: watch for them before any is sent.
    const command = page.waitForSelector(
      '#flows [data-flow-kind="command"][data-message="ProcessPayment"]',
      { state: 'attached', timeout: 30_000 },
    );
    const fanOut = page.waitForSelector(
      '#flows [data-flow-kind="event"][data-message="OrderShipped"]',
      { state: 'attached', timeout: 30_000 },
    );
    await page.check('input[name="outcome"][value="completed"]');
    await page.click('#place-order');
    const placed = await page.waitForSelector('#form-result[data-order-id]');
    const orderId = (await placed.getAttribute('data-order-id')) ?? '';

    const card = await page.waitForSelector(
      `#orders [data-order-id="${orderId}"][data-status="COMPLETED"]`,
      { timeout: 30_000 },
    );
    expect(await card.textContent()).toContain('PENDING');
    expect((await platform.order(orderId)).status).toBe('COMPLETED');

    const commandFlow = await command;
    expect(await commandFlow.getAttribute('data-order-id')).toBe(orderId);
    expect(await commandFlow.getAttribute('data-from')).toBe('orders');
    expect(await wiresOf(commandFlow)).toEqual(recipientsOf(ProcessPayment));
    expect(recipientsOf(ProcessPayment)).toHaveLength(1);

    const eventFlow = await fanOut;
    expect(await eventFlow.getAttribute('data-order-id')).toBe(orderId);
    expect(await eventFlow.getAttribute('data-from')).toBe('shipping');
    expect(await wiresOf(eventFlow)).toEqual(recipientsOf(OrderShipped));
    expect(recipientsOf(OrderShipped).length).toBeGreaterThan(1);

    expect(pageErrors).toEqual([]);
  });

  it('stops cleanly on SIGTERM while a browser follows the flow', async () => {
    expect(await page.getAttribute('#connection', 'data-connection')).toBe('live');
    expect(await platform.flowView.terminate()).toBe(0);
    expect(platform.flowView.logs).toContain('no one follows the message flow any more');
  }, 60_000);
});
