import type { ServiceSpec } from '../service-spec.js';

/** The app's integration test: the built app as a process on a NATS server and database of its own. */
export function appTestFiles({ names, command, event }: ServiceSpec) {
  const { kebab } = names;
  return {
    [`apps/${kebab}/test/${kebab}.int-spec.ts`]: `import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ${event}, ${command} } from '@app/contracts';
import { catalogTopology } from '@app/messaging';
import { eventually, sleep } from '../../../test/support/eventually.js';
import { PrivateNatsServer } from '../../../test/support/nats-server.js';
import { killAllServices, ServiceProcess } from '../../../test/support/service-process.js';
import { TestDatabase } from '../../../test/support/test-database.js';
import { Wire } from '../../../test/support/wire.js';

const ENTRY = 'dist/apps/${kebab}/main.js';

interface ListedEntry {
  readonly source: string;
  readonly orderId: string;
  readonly note: string;
}

describe('${kebab} as a process, on NATS and PostgreSQL', () => {
  let nats: PrivateNatsServer;
  let database: TestDatabase;
  let service: ServiceProcess;
  let wire: Wire;

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(\`\${ENTRY} is missing: run "nest build ${kebab}" first\`);
    nats = await PrivateNatsServer.start();
    // The streams and consumers, as \`npm run provision:nats\` makes them before any app starts.
    await nats.provision(catalogTopology());
    database = TestDatabase.reserve('${names.snake}');
    service = await ServiceProcess.start({
      entry: ENTRY,
      env: {
        NATS_URL: nats.url,
        DATABASE_URL: database.url,
        MESSAGING_RETRY_BASE_MS: '50',
        MESSAGING_RETRY_MAX_MS: '500',
      },
    });
    await service.ready(60_000);
    wire = await Wire.connect(nats.url);
  });

  afterAll(async () => {
    await wire?.close();
    await killAllServices();
    await database?.drop();
    await nats?.dispose();
  });

  async function entriesOf(orderId: string): Promise<ListedEntry[]> {
    const response = await request(service.baseUrl).get('/entries').query({ orderId });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return (response.body as { items: ListedEntry[] }).items;
  }

  it('records its ${command} command and the ${event} event it subscribes to, each exactly once', async () => {
    const orderId = randomUUID();
    const customerId = randomUUID();
    await wire.publish(
      ${command},
      { orderId, customerId, note: 'first order' },
      { correlationId: orderId },
    );
    await wire.publish(${event}, { orderId, customerId }, { correlationId: orderId });

    await eventually(async () => expect(await entriesOf(orderId)).toHaveLength(2));
    // Long enough for a second delivery of either message to have shown up.
    await sleep(500);
    const entries = await entriesOf(orderId);
    expect(entries).toHaveLength(2);
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: '${command}', orderId, note: 'first order' }),
        expect.objectContaining({ source: '${event}', orderId }),
      ]),
    );
  });

  it('answers 400 to a list request whose orderId is not a UUID', async () => {
    const response = await request(service.baseUrl).get('/entries').query({ orderId: 'nope' });
    expect(response.status).toBe(400);
  });
});
`,
  };
}
