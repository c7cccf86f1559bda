import { APPS, type ComposeProject } from '../compose-project.js';
import type { GatewayClient, Order } from '../gateway-client.js';
import { expectAllCompleted } from './expectations.js';

/** The servers whose clean stop matters too: a non-zero exit would read as a crash to a supervisor. */
const SERVERS = ['nats', 'postgres'];

/** `docker compose stop`: every app drains and exits 0, and so do NATS and PostgreSQL. */
export async function stopExitsZero(project: ComposeProject): Promise<string> {
  await project.runOk(['stop'], { timeoutMs: 180_000 });
  const containers = await project.containers();
  const apps = containers.filter((container) => [...APPS, ...SERVERS].includes(container.service));
  const notZero = apps.filter(
    (container) => container.state !== 'exited' || container.exitCode !== 0,
  );
  if (notZero.length > 0)
    throw new Error(
      notZero
        .map(
          (container) => `${container.name}: ${container.state}, exit code ${container.exitCode}`,
        )
        .join('; '),
    );
  const others = containers
    .filter((container) => !apps.includes(container))
    .map((container) => `${container.service} ${container.exitCode}`);
  return `${apps.length} app and server containers exited 0 (${others.join(', ')})`;
}

/** `down` without --volumes, then `up` again: earlier orders are still there, and new ones complete. */
export async function downUpKeepsData(
  project: ComposeProject,
  client: GatewayClient,
  earlier: readonly Order[],
): Promise<string> {
  await project.runOk(['down'], { timeoutMs: 180_000 });
  await project.upAndWait();
  for (const before of earlier) {
    const after = await client.order(before.id);
    if (after.status !== before.status)
      throw new Error(
        `order ${before.id} was ${before.status}, is ${after.status} after down and up`,
      );
  }
  const { id } = await client.placeOrderRetrying({ country: 'DE', unitPrice: 1250 }, 30_000);
  expectAllCompleted(await client.settled([id], 60_000));
  return `${earlier.length} earlier orders unchanged, a new order COMPLETED`;
}
