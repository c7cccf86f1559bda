import type { ComposeProject } from '../compose-project.js';
import { OrderLoad, type GatewayClient } from '../gateway-client.js';
import { expectAllCompleted, expectOnePaymentEach } from './expectations.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Orders accepted under load all complete, each paid once, none given up on by its client. */
async function expectNothingLost(
  client: GatewayClient,
  load: OrderLoad,
): Promise<{ accepted: number; retries: number }> {
  const { accepted, lost, retries } = await load.stop();
  if (lost.length > 0)
    throw new Error(`${lost.length} orders were never accepted, e.g. ${lost[0]}`);
  if (accepted.length === 0) throw new Error('no order was accepted during the check');
  expectAllCompleted(await client.settled(accepted, 180_000));
  await expectOnePaymentEach(client, accepted);
  return { accepted: accepted.length, retries };
}

async function runningReplicas(project: ComposeProject, service: string): Promise<number> {
  return (await project.containers()).filter(
    (container) => container.service === service && container.state === 'running',
  ).length;
}

/** Three payments replicas share its consumers: every order is paid exactly once. */
export async function scaledPaymentsPayOnce(
  project: ComposeProject,
  client: GatewayClient,
  replicas: number,
): Promise<string> {
  await project.upAndWait(['--no-recreate', '--scale', `payments=${replicas}`]);
  const running = await runningReplicas(project, 'payments');
  if (running !== replicas) throw new Error(`${running} payments replicas run, not ${replicas}`);
  const placed = await Promise.all(
    Array.from({ length: 30 }, () =>
      client.placeOrderRetrying({ country: 'DE', unitPrice: 1250 }, 30_000),
    ),
  );
  const ids = placed.map((order) => order.id);
  expectAllCompleted(await client.settled(ids, 120_000));
  await expectOnePaymentEach(client, ids);
  const logs = await project.runOk(['logs', '--no-color', 'payments']);
  const working = new Set(
    logs
      .split('\n')
      .filter((line) => ids.some((id) => line.includes(id)))
      .map((line) => line.split(/\s+\|/)[0]?.trim()),
  );
  return `${running} replicas, ${ids.length} orders COMPLETED, one payment each; ${working.size} replicas logged some of them`;
}

/** All payments replicas killed while orders keep arriving, then started: every order completes, paid once. */
export async function paymentsKilledUnderLoad(
  project: ComposeProject,
  client: GatewayClient,
): Promise<string> {
  const load = new OrderLoad(client);
  await sleep(3000);
  await project.runOk(['kill', 'payments']);
  const beforeDown = load.acceptedSoFar;
  await sleep(8000);
  const whileDown = load.acceptedSoFar - beforeDown;
  await project.runOk(['start', 'payments']);
  await sleep(3000);
  const result = await expectNothingLost(client, load);
  if (whileDown === 0) throw new Error('no order was accepted while payments was down');
  return `${result.accepted} orders (${whileDown} while payments was down) COMPLETED, one payment each`;
}

/** `docker compose restart <service>` while orders arrive: nothing lost, nothing paid twice. */
export async function restartUnderLoad(
  project: ComposeProject,
  client: GatewayClient,
  service: string,
): Promise<string> {
  const load = new OrderLoad(client);
  await sleep(3000);
  await project.runOk(['restart', service], { timeoutMs: 120_000 });
  await sleep(5000);
  const result = await expectNothingLost(client, load);
  return `${result.accepted} orders COMPLETED, one payment each, ${result.retries} POST retries`;
}
