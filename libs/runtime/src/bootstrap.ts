import type { Server } from 'node:http';
import { Logger, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { JetStreamServer } from '@app/messaging';
import {
  LOG_LEVELS,
  logFormatFrom,
  logLevelFrom,
  PinoLogger,
  startTracing,
  stopTracing,
} from '@app/observability';
import { ConfigurationError, type PlatformEnvironment } from './environment.js';
import { httpTelemetry } from './telemetry/http-telemetry.js';
import { checkNats, ensureDatabase, InfrastructureUnavailable } from './infrastructure.js';

export interface ServiceDefinition {
  readonly module: DynamicModule;
  /** Where it listens and what it connects to. */
  readonly env: Pick<
    PlatformEnvironment,
    | 'PORT'
    | 'NATS_URL'
    | 'NATS_USER'
    | 'NATS_PASSWORD'
    | 'DATABASE_URL'
    | 'HTTP_CORS_ORIGINS'
    | 'HTTP_TRUST_PROXY'
  >;
  /** Last touches to the HTTP app before it listens (OpenAPI, for instance). */
  readonly configure?: (app: INestApplication) => void;
}

/**
 * Starts one app: HTTP, the JetStream transport, graceful shutdown on SIGTERM.
 * A missing NATS or database, or a bad setting, ends the process with one
 * readable line instead of a stack trace.
 */
export async function runService(app: string, define: () => ServiceDefinition): Promise<void> {
  const level = logLevelFrom();
  const appLogger = PinoLogger.create(app, logFormatFrom(), level ?? 'info');
  Logger.overrideLogger(appLogger);
  const logger = new Logger(app);
  startTracing(app);
  try {
    if (!level) {
      throw new ConfigurationError(
        `invalid configuration: LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`,
      );
    }
    const service = define();
    const nats = {
      url: service.env.NATS_URL,
      user: service.env.NATS_USER,
      password: service.env.NATS_PASSWORD,
    };
    await Promise.all([checkNats(nats, app), ensureDatabase(service.env.DATABASE_URL)]);
    const nest = await NestFactory.create<NestExpressApplication>(service.module, {
      abortOnError: false,
      logger: appLogger,
    });
    nest.set('trust proxy', trustProxy(service.env.HTTP_TRUST_PROXY));
    nest.use(httpTelemetry(appLogger));
    nest.use(helmet());
    if (service.env.HTTP_CORS_ORIGINS.length > 0) {
      nest.enableCors({ origin: service.env.HTTP_CORS_ORIGINS });
    }
    service.configure?.(nest);
    nest.connectMicroservice({ strategy: nest.get(JetStreamServer) }, { inheritAppConfig: true });
    // Init hooks (the migrations) first: a hybrid app would otherwise run them
    // only in listen(), after the consumers took their first messages.
    await nest.init();
    await nest.startAllMicroservices();
    await nest.listen(service.env.PORT);
    keepIdleConnectionsOpen(nest.getHttpServer() as Server);
    logger.log(`listening on port ${service.env.PORT}`);
    closeOnSignal(nest, logger, appLogger);
  } catch (error) {
    if (error instanceof InfrastructureUnavailable || error instanceof ConfigurationError) {
      logger.error(error.message);
      appLogger.flush();
      process.exit(1);
    }
    throw error;
  }
}

/**
 * Idle keep-alive connections stay open longer than the proxies in front keep
 * theirs (ingress controllers and load balancers: 60 s). With Node's 5 s, the
 * server could close one just as a proxy, or any client pooling connections,
 * sent a request on it, which then fails with a reset.
 */
function keepIdleConnectionsOpen(server: Server): void {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}

/**
 * SIGTERM or Ctrl-C: stop taking messages, finish and ack those in hand, close,
 * exit 0. A second signal exits at once.
 */
function closeOnSignal(nest: INestApplication, logger: Logger, output: PinoLogger): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) process.exit(130);
    closing = true;
    logger.log(`${signal}: draining`);
    nest
      .close()
      .then(stopTracing)
      .then(
        () => {
          logger.log('stopped');
          output.flush();
          process.exit(0);
        },
        (error: unknown) => {
          logger.error(`failed to stop cleanly: ${(error as Error).message}`);
          output.flush();
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Express' `trust proxy`: true, false, a number of hops, or addresses and subnets. */
function trustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}
