/**
 * npm run test:compose: the whole system under `docker compose`, on a Docker
 * engine of the test's own, checked through the gateway's published ports
 * only. See docs/deployment.md (How Compose is tested).
 *
 *   npm run test:compose            run every check, then remove the project and stop the engine
 *   npm run test:compose -- --keep  leave the system and its engine running afterwards
 *
 * COMPOSE_TEST_STATE_DIR (default /var/tmp/nest-jetstream-platform-compose-test)
 * holds the engine's data root, kept between runs as the cache of base and
 * built images; COMPOSE_TEST_ENV_FILE replaces .env.example as the env file.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dockerfileBaseImages, ensureBaseImages, readDockerfile } from './base-images.js';
import {
  aSettledOrder,
  businessFlowsThroughGateway,
  type BusinessSettings,
} from './checks/business-flows.js';
import { downUpKeepsData, stopExitsZero } from './checks/lifecycle.js';
import {
  paymentsKilledUnderLoad,
  restartUnderLoad,
  scaledPaymentsPayOnce,
} from './checks/resilience.js';
import { APPS, ComposeProject, writeEnvFile } from './compose-project.js';
import { DEFAULT_STATE_DIR, startEngine, type Engine } from './engine.js';
import { GatewayClient } from './gateway-client.js';
import { CheckFailed, check, printHeader, printRow, progress } from './report.js';
import { runOk } from './shell.js';

const REPOSITORY = resolve(import.meta.dirname, '../..');

function envValue(file: string, key: string): string | undefined {
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((candidate) => candidate.startsWith(`${key}=`));
  return line?.slice(key.length + 1).trim();
}

function businessSettings(envFile: string): BusinessSettings {
  return {
    declineAbove: Number(envValue(envFile, 'PAYMENTS_DECLINE_ABOVE') || 100_000),
    shippingCountries: (envValue(envFile, 'SHIPPING_COUNTRIES') || 'US,CA,GB,DE,FR,NL,JP,AU').split(
      ',',
    ),
  };
}

async function servicesImages(
  project: ComposeProject,
): Promise<{ built: string[]; pulled: string[] }> {
  const config = JSON.parse(await project.runOk(['config', '--format', 'json'])) as {
    services: Record<string, { image?: string; build?: unknown }>;
  };
  const services = Object.values(config.services);
  return {
    built: services
      .filter((service) => service.build && service.image)
      .map((service) => service.image as string),
    pulled: services
      .filter((service) => !service.build && service.image)
      .map((service) => service.image as string),
  };
}

async function checks(engine: Engine, keep: boolean): Promise<void> {
  const { file: envFile, urls } = await writeEnvFile(REPOSITORY, join(engine.stateDir, 'run'));
  const project = new ComposeProject(engine, REPOSITORY, envFile);
  const client = new GatewayClient(urls);
  const images = await servicesImages(project);

  await check('base images', async () => {
    const wanted = [
      ...new Set([...dockerfileBaseImages(readDockerfile(REPOSITORY)), ...images.pulled]),
    ];
    const found = await ensureBaseImages(engine, wanted);
    return found.map((image) => `${image.name} (${image.source})`).join(', ');
  });

  // A clean start: no containers or volumes of an earlier run.
  await project.runOk(['down', '--volumes', '--remove-orphans'], { timeoutMs: 180_000 });
  try {
    await check('docker compose build', async () => {
      progress(
        'docker compose build (the first build takes a few minutes; later ones hit the cache)',
      );
      await project.runOk(['build'], { nice: true, timeoutMs: 1_200_000 });
      return `${images.built.length} app images`;
    });
    for (const line of await project.imageSizes([...images.built, ...images.pulled]))
      printRow('image size', 'info', 0, line);

    await check('docker compose up --wait: healthy', async () => {
      await project.upAndWait();
      const containers = await project.containers();
      return `${containers.length} containers healthy; gateway ${urls.orders} ... ${urls.flowView}`;
    });

    await check('business flows through the gateway (npm run test:flows)', () =>
      businessFlowsThroughGateway(urls, businessSettings(envFile)),
    );
    const sagaOrders = [await aSettledOrder(client)];

    await check('--scale payments=3: each order paid once', () =>
      scaledPaymentsPayOnce(project, client, 3),
    );
    await check('payments killed while orders arrive', () =>
      paymentsKilledUnderLoad(project, client),
    );
    await check('restart nats under load: nothing lost', () =>
      restartUnderLoad(project, client, 'nats'),
    );
    await check('restart postgres under load: nothing lost', () =>
      restartUnderLoad(project, client, 'postgres'),
    );
    const earlier = await Promise.all(sagaOrders.map((id) => client.order(id)));
    await check('docker compose stop: every app, NATS and PostgreSQL exit 0', () =>
      stopExitsZero(project),
    );
    await check('down (keeping volumes), up: data kept', () =>
      downUpKeepsData(project, client, earlier),
    );
  } finally {
    if (keep) {
      process.stderr.write(
        `\nleft running (--keep): DOCKER_HOST=${engine.env.DOCKER_HOST} DOCKER_CONFIG=${engine.env.DOCKER_CONFIG} ` +
          `docker compose --project-directory ${REPOSITORY} --env-file ${envFile} ps\n`,
      );
    } else {
      progress('docker compose down --volumes');
      await project.run(['down', '--volumes', '--remove-orphans'], { timeoutMs: 180_000 });
      // The cache keeps the images in use; the layers of older builds go.
      await runOk('docker', ['image', 'prune', '--force'], { env: engine.env });
    }
  }
}

async function main(): Promise<number> {
  const keep = process.argv.includes('--keep');
  const startedAt = Date.now();
  const stateDir = process.env.COMPOSE_TEST_STATE_DIR ?? DEFAULT_STATE_DIR;
  printHeader();
  let engine: Engine | undefined;
  const stopEngine = async () => {
    if (engine && !keep) await engine.stop();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      progress(`${signal}: stopping`);
      void stopEngine().finally(() => process.exit(130));
    });
  try {
    await check('own Docker engine', async () => {
      engine = await startEngine(stateDir);
      const version = await runOk('docker', ['version', '--format', '{{.Server.Version}}'], {
        env: engine.env,
      });
      const compose = await runOk('docker', ['compose', 'version', '--short'], { env: engine.env });
      return `dockerd ${version.trim()}, compose ${compose.trim()}, ${engine.env.DOCKER_HOST}`;
    });
    if (!engine) return 1;
    await checks(engine, keep);
    printRow(
      'compose test',
      'ok',
      Date.now() - startedAt,
      `${APPS.length} apps, every check passed`,
    );
    return 0;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `\ncompose test FAILED: ${error instanceof CheckFailed ? reason : error instanceof Error ? error.stack : reason}\n`,
    );
    return 1;
  } finally {
    await stopEngine();
  }
}

process.exitCode = await main();
