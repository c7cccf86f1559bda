import { randomBytes } from 'node:crypto';
import { createServer, connect as connectTcp } from 'node:net';
import { ProcessPayment } from '@app/contracts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { freePort } from '../support/ports.js';
import { ServiceProcess } from '../support/service-process.js';
import { Wire } from '../support/wire.js';
import { APPS, Platform } from './platform.js';

const TOKEN = randomBytes(24).toString('base64url');
const BASIC = `Basic ${Buffer.from(`operator:${TOKEN}`).toString('base64')}`;
const FOREIGN = 'https://attacker.example';

/** What a page on another site can make a browser send without a CORS preflight. */
const CROSS_SITE_FORMS = [
  { type: 'application/x-www-form-urlencoded', body: 'all=1' },
  { type: 'text/plain', body: 'all' },
  { type: 'multipart/form-data; boundary=x', body: '--x\r\n\r\n1\r\n--x--\r\n' },
];

/** Whether anything accepts a TCP connection at `host:port`. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('the admin port, with ADMIN_TOKEN set', () => {
  let platform: Platform;

  beforeAll(async () => {
    const withToken = { ADMIN_TOKEN: TOKEN };
    platform = await Platform.start({
      env: Object.fromEntries(APPS.map((app) => [app, withToken])),
      flowView: withToken,
    });
  });
  afterAll(() => platform?.dispose());

  const adminOf = (app: (typeof APPS)[number]) => platform.replicas(app)[0]!;

  it('refuses the operator endpoints without the token or with a wrong one (401, JSON), and serves them with it', async () => {
    for (const app of APPS) {
      const admin = request(adminOf(app).adminUrl);
      for (const path of ['/dead-letters', '/metrics', '/dead-letters/1']) {
        const none = await admin.get(path);
        expect(none.status, `${app} ${path}`).toBe(401);
        expect(none.body).toMatchObject({ statusCode: 401, code: 'ADMIN.UNAUTHORIZED' });
        const wrong = await admin.get(path).set('Authorization', `Bearer ${TOKEN}x`);
        expect(wrong.status, `${app} ${path}`).toBe(401);
      }
      const replay = await admin.post('/dead-letters/replay').type('json');
      expect(replay.status, app).toBe(401);
      const basicWrong = await admin
        .get('/dead-letters')
        .set('Authorization', `Basic ${btoa('operator:nope')}`);
      expect(basicWrong.status, app).toBe(401);

      const bearer = { Authorization: `Bearer ${TOKEN}` };
      expect((await admin.get('/dead-letters').set(bearer)).body).toEqual({
        deadLetters: [],
        nextCursor: null,
      });
      const metrics = await admin.get('/metrics').set(bearer);
      expect(metrics.status).toBe(200);
      expect(metrics.text).toContain('messaging_messages_handled_total');
      expect((await admin.post('/dead-letters/replay').set(bearer).type('json')).body).toEqual({
        replayed: 0,
        failedCount: 0,
        failed: [],
      });
      // What a browser asks a person for, the token as the password.
      expect((await admin.get('/metrics').set('Authorization', BASIC)).status).toBe(200);
    }
  });

  it('no longer serves dead letters or metrics on the public port', async () => {
    for (const app of APPS) {
      const http = platform.http(app);
      expect((await http.get('/dead-letters')).status, app).toBe(404);
      expect((await http.get('/metrics')).status, app).toBe(404);
      expect((await http.post('/dead-letters/replay').type('json')).status, app).toBe(404);
      expect((await http.post('/dead-letters/1/replay').type('json')).status, app).toBe(404);
    }
  });

  it('listens on every interface as the public port does: reachable on another loopback address', async () => {
    expect(await accepts('127.0.0.2', adminOf('payments').adminPort)).toBe(true);
  });

  it('refuses a cross-site form POST to replay, even carrying the token a browser remembered', async () => {
    const admin = request(adminOf('payments').adminUrl);
    for (const form of CROSS_SITE_FORMS) {
      const response = await admin
        .post('/dead-letters/replay')
        .set('Authorization', BASIC)
        .set('Origin', FOREIGN)
        .set('Content-Type', form.type)
        .send(form.body);
      expect(response.status, form.type).toBe(403);
      expect(response.body).toMatchObject({ code: 'ADMIN.CROSS_SITE' });
    }
    // Without an Origin (older browsers on a form POST), the media type alone refuses it.
    const plain = await admin
      .post('/dead-letters/replay')
      .set('Authorization', BASIC)
      .set('Content-Type', 'text/plain')
      .send('all');
    expect(plain.status).toBe(415);
  });

  it('pages the dead letters, each page bounded in bytes: 60 letters of 1 MB never make one response of 60 MB', async () => {
    const wire = await Wire.connect(platform.nats.url);
    const body = new Uint8Array(1_000_000).fill('x'.charCodeAt(0));
    try {
      for (let i = 0; i < 60; i += 1) await wire.publish(ProcessPayment, undefined, { raw: body });
    } finally {
      await wire.close();
    }
    const payments = platform.admin('payments');
    await eventually(
      async () => {
        const count = await countLetters(payments);
        if (count < 60) throw new Error(`${count} dead letters so far`);
      },
      { timeoutMs: 60_000, intervalMs: 500, what: '60 dead letters' },
    );

    const sequences: number[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const response = await payments.get(`/dead-letters${cursor ? `?cursor=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      expect(response.text.length).toBeLessThan(200_000);
      const page = response.body as DeadLetterPage;
      expect(page.deadLetters.length).toBeLessThanOrEqual(20);
      for (const letter of page.deadLetters) {
        expect(letter.bodyBytes).toBe(1_000_000);
        expect(letter.bodyTruncated).toBe(true);
        expect(letter.body.length).toBeLessThanOrEqual(4_096);
        sequences.push(letter.sequence);
      }
      cursor = page.nextCursor;
      pages += 1;
    }
    expect(sequences).toHaveLength(60);
    expect(new Set(sequences).size).toBe(60);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(pages).toBeGreaterThanOrEqual(3);

    // Whole bodies on request: still a bounded page, with the way on.
    const full = await payments.get('/dead-letters?body=full&limit=100');
    expect(full.status).toBe(200);
    expect(full.text.length).toBeLessThan(2_200_000);
    const fullPage = full.body as DeadLetterPage;
    expect(fullPage.deadLetters.length).toBeGreaterThanOrEqual(1);
    expect(fullPage.deadLetters.length).toBeLessThan(60);
    expect(fullPage.deadLetters[0]!.body).toHaveLength(1_000_000);
    expect(fullPage.deadLetters[0]!.bodyTruncated).toBe(false);
    expect(fullPage.nextCursor).not.toBeNull();

    const one = await payments.get(`/dead-letters/${sequences[59]}`);
    expect(one.status).toBe(200);
    expect((one.body as DeadLetter).body).toHaveLength(1_000_000);

    const tooMany = await payments.get('/dead-letters?limit=101');
    expect(tooMany.status).toBe(400);
  });

  it('puts the flow view behind the same token, its probes open to the orchestrator', async () => {
    const flow = request(platform.flowView.baseUrl);
    const refused = await flow.get('/flow');
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/Basic realm="operator"/);
    expect((await flow.get('/flow/topology').set('Authorization', `Bearer ${TOKEN}x`)).status).toBe(
      401,
    );
    expect((await flow.get('/flow').set('Authorization', BASIC)).status).toBe(200);
    expect((await flow.get('/flow/topology').set('Authorization', `Bearer ${TOKEN}`)).status).toBe(
      200,
    );
    expect((await flow.get('/health/ready')).status).toBe(200);
    const forged = await flow
      .post('/flow/orders')
      .set('Authorization', BASIC)
      .set('Origin', FOREIGN)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('customerId=x');
    expect(forged.status).toBe(403);
  });
});

describe('the admin port, without ADMIN_TOKEN', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start({
      replicas: { payments: 1, orders: 0, shipping: 0, notifications: 0 },
      flowView: { FLOW_VIEW_ORDERS_URL: 'http://127.0.0.1:9' },
    });
  });
  afterAll(() => platform?.dispose());

  const payments = () => platform.replicas('payments')[0]!;

  it('listens on 127.0.0.1 only, asks for no token there, and says so in one line at start', async () => {
    const service = payments();
    expect(await accepts('127.0.0.1', service.adminPort)).toBe(true);
    expect(await accepts('127.0.0.2', service.adminPort)).toBe(false);
    // The public port, for comparison, is on every interface.
    expect(await accepts('127.0.0.2', service.port)).toBe(true);
    expect((await request(service.adminUrl).get('/dead-letters')).status).toBe(200);
    expect(service.logs.match(/ADMIN_TOKEN is not set/g)).toHaveLength(1);

    const flowView = platform.flowView;
    expect(await accepts('127.0.0.2', flowView.port)).toBe(false);
    expect((await request(flowView.baseUrl).get('/flow')).status).toBe(200);
  });

  it('refuses a cross-site form POST to replay', async () => {
    const admin = request(payments().adminUrl);
    for (const form of CROSS_SITE_FORMS) {
      const response = await admin
        .post('/dead-letters/replay')
        .set('Origin', FOREIGN)
        .set('Content-Type', form.type)
        .send(form.body);
      expect(response.status, form.type).toBe(403);
    }
    const sameSite = await admin
      .post('/dead-letters/replay')
      .set('Sec-Fetch-Site', 'cross-site')
      .type('json');
    expect(sameSite.status).toBe(403);
    const noOrigin = await admin
      .post('/dead-letters/replay')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('all=1');
    expect(noOrigin.status).toBe(415);
    const operator = await admin.post('/dead-letters/replay').type('json');
    expect(operator.status).toBe(200);
  });

  it('answers only to a loopback host name, so a page that rebinds its name to 127.0.0.1 gets nothing', async () => {
    const rebound = await request(payments().adminUrl)
      .get('/dead-letters')
      .set('Host', `attacker.example:${payments().adminPort}`);
    expect(rebound.status).toBe(403);
    expect(rebound.body).toMatchObject({ code: 'ADMIN.HOST_REFUSED' });
    const byName = await request(payments().adminUrl)
      .get('/dead-letters')
      .set('Host', `localhost:${payments().adminPort}`);
    expect(byName.status).toBe(200);
  });

  it('stops at start with one line when the admin port is taken', async () => {
    const taken = createServer();
    const port = await freePort();
    await new Promise<void>((done) => taken.listen(port, '127.0.0.1', done));
    try {
      const service = await ServiceProcess.start({
        entry: 'dist/apps/payments/main.js',
        adminPort: port,
        env: { NATS_URL: platform.nats.url, DATABASE_URL: platform.databases.payments.url },
      });
      expect(await service.exited).toBe(1);
      expect(service.logs).toContain(
        `port ${port} is already in use: stop what listens there or set ADMIN_PORT`,
      );
    } finally {
      taken.close();
    }
  });
});

interface DeadLetter {
  readonly sequence: number;
  readonly body: string;
  readonly bodyBytes: number;
  readonly bodyTruncated: boolean;
}

interface DeadLetterPage {
  readonly deadLetters: DeadLetter[];
  readonly nextCursor: string | null;
}

async function countLetters(admin: ReturnType<Platform['admin']>): Promise<number> {
  let count = 0;
  let cursor: string | null = '';
  while (cursor !== null) {
    const response = await admin.get(`/dead-letters?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    const page = response.body as DeadLetterPage;
    count += page.deadLetters.length;
    cursor = page.nextCursor;
  }
  return count;
}
