import type { Server } from 'node:http';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { JetStreamServer, NatsTopologyMissing } from '@app/messaging';
import { startTracing } from '@app/observability';
import { AdminModule } from './admin/admin.module.js';
import {
  configureOperatorHttp,
  listenOperatorPort,
  type OperatorPort,
} from './admin/operator-port.js';
import { adminSettings, ConfigurationError, type PlatformEnvironment } from './environment.js';
import {
  checkLogLevel,
  closeOnSignal,
  configureHttp,
  keepIdleConnectionsOpen,
  startLogging,
} from './http-app.js';
import {
  checkNats,
  checkPort,
  ensureDatabase,
  InfrastructureUnavailable,
  portProblem,
} from './infrastructure.js';

export interface ServiceDefinition {
  readonly module: DynamicModule;
  /** Where it listens and what it connects to. */
  readonly env: Pick<
    PlatformEnvironment,
    | 'PORT'
    | 'ADMIN_PORT'
    | 'ADMIN_TOKEN'
    | 'NATS_URL'
    | 'NATS_USER'
    | 'NATS_PASSWORD'
    | 'DATABASE_URL'
    | 'HTTP_CORS_ORIGINS'
    | 'HTTP_TRUST_PROXY'
    | 'HTTP_DRAIN_MS'
  >;
  /** Last touches to the HTTP app before it listens (OpenAPI, for instance). */
  readonly configure?: (app: INestApplication) => void;
}

/**
 * Starts one app: its HTTP API, its admin port (dead letters, metrics), the
 * JetStream transport, graceful shutdown on SIGTERM.
 * A missing NATS or database, or a bad setting, ends the process with one
 * readable line instead of a stack trace.
 */
export async function runService(app: string, define: () => ServiceDefinition): Promise<void> {
  const logging = startLogging(app);
  const { logger } = logging;
  startTracing(app);
  try {
    checkLogLevel();
    const service = define();
    const nats = {
      url: service.env.NATS_URL,
      user: service.env.NATS_USER,
      password: service.env.NATS_PASSWORD,
    };
    const admin: OperatorPort = {
      settings: adminSettings(service.env),
      setting: 'ADMIN_PORT',
      serves: 'the admin port (dead letters, metrics)',
    };
    await Promise.all([
      checkPort(service.env.PORT),
      checkPort(admin.settings.port, { host: admin.settings.host, setting: 'ADMIN_PORT' }),
      checkNats(nats, app),
      ensureDatabase(service.env.DATABASE_URL),
    ]);
    const nest = await NestFactory.create<NestExpressApplication>(service.module, {
      abortOnError: false,
      logger: logging.output,
    });
    configureHttp(nest, service.env, logging.output);
    service.configure?.(nest);
    nest.connectMicroservice({ strategy: nest.get(JetStreamServer) }, { inheritAppConfig: true });
    // Init hooks (the migrations) first: a hybrid app would otherwise run them
    // only in listen(), after the consumers took their first messages.
    await nest.init();
    // Consumers first: once HTTP answers, readiness may report them.
    await nest.startAllMicroservices();
    const adminApp = await NestFactory.create<NestExpressApplication>(AdminModule.of(nest), {
      abortOnError: false,
      logger: logging.output,
    });
    configureOperatorHttp(adminApp, admin, logging.output);
    await nest.listen(service.env.PORT).catch((error: NodeJS.ErrnoException) => {
      throw portProblem(service.env.PORT, error);
    });
    keepIdleConnectionsOpen(nest.getHttpServer() as Server);
    logger.log(`listening on port ${service.env.PORT}`);
    await listenOperatorPort(adminApp, admin, logger);
    closeOnSignal([adminApp, nest], logging, { httpDrainMs: service.env.HTTP_DRAIN_MS });
  } catch (error) {
    if (
      error instanceof InfrastructureUnavailable ||
      error instanceof ConfigurationError ||
      error instanceof NatsTopologyMissing
    ) {
      logger.error(error.message);
      logging.output.flush();
      process.exit(1);
    }
    throw error;
  }
}
