import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchBundle } from '../../scripts/start/bundle-watch.js';
import { eventually, sleep } from '../support/eventually.js';

describe(watchBundle.name, () => {
  let root: string;
  const stops: (() => void)[] = [];

  function aBundle(app: string): string {
    mkdirSync(join(root, app));
    const bundle = join(root, app, 'main.js');
    writeFileSync(bundle, `console.log('${app}');\n`);
    return bundle;
  }

  function changesOf(bundle: string): { count: number } {
    const seen = { count: 0 };
    stops.push(watchBundle(bundle, () => (seen.count += 1)));
    return seen;
  }

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'bundle-watch-'));
  });

  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('reports a change of content for that bundle only', async () => {
    const orders = aBundle('orders');
    const payments = aBundle('payments');
    const ordersChanges = changesOf(orders);
    const paymentsChanges = changesOf(payments);

    writeFileSync(payments, "console.log('payments, changed');\n");

    await eventually(() => expect(paymentsChanges.count).toBe(1), { timeoutMs: 5_000 });
    expect(ordersChanges.count).toBe(0);
  });

  it('reports nothing when a rebuild writes the same bytes again', async () => {
    const orders = aBundle('orders');
    const changes = changesOf(orders);

    writeFileSync(orders, "console.log('orders');\n");
    writeFileSync(`${orders}.map`, '{}');
    await sleep(1_000);

    expect(changes.count).toBe(0);
  });
});
