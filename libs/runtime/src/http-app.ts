import type { Server } from 'node:http';
import { Logger, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import {
  LOG_LEVELS,
  logFormatFrom,
  logLevelFrom,
  PinoLogger,
  stopTracing,
} from '@app/observability';
import { ConfigurationError, type PlatformEnvironment } from './environment.js';
import { httpTelemetry } from './telemetry/http-telemetry.js';

/** The app's log output, and a logger of its own name on it. */
export interface AppLogging {
  readonly output: PinoLogger;
  readonly logger: Logger;
}

/** Logs as every app does (LOG_FORMAT, LOG_LEVEL; at info while LOG_LEVEL is wrong). */
export function startLogging(app: string): AppLogging {
  const output = PinoLogger.create(app, logFormatFrom(), logLevelFrom() ?? 'info');
  Logger.overrideLogger(output);
  return { output, logger: new Logger(app) };
}

/** Throws a ConfigurationError, to report in one line, when LOG_LEVEL is wrong. */
export function checkLogLevel(): void {
  if (!logLevelFrom()) {
    throw new ConfigurationError(
      `invalid configuration: LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`,
    );
  }
}

/** What every app's HTTP side has: proxy trust, telemetry, security headers, CORS if asked for. */
export function configureHttp(
  nest: NestExpressApplication,
  env: Pick<PlatformEnvironment, 'HTTP_TRUST_PROXY'> &
    Partial<Pick<PlatformEnvironment, 'HTTP_CORS_ORIGINS'>>,
  output: PinoLogger,
): void {
  nest.set('trust proxy', trustProxy(env.HTTP_TRUST_PROXY));
  nest.use(httpTelemetry(output));
  nest.use(helmet());
  if (env.HTTP_CORS_ORIGINS && env.HTTP_CORS_ORIGINS.length > 0) {
    nest.enableCors({ origin: env.HTTP_CORS_ORIGINS });
  }
}

/**
 * Idle keep-alive connections stay open longer than the proxies in front keep
 * theirs (ingress controllers and load balancers: 60 s). With Node's 5 s, the
 * server could close one just as a proxy, or any client pooling connections,
 * sent a request on it, which then fails with a reset.
 */
export function keepIdleConnectionsOpen(server: Server): void {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}

/**
 * SIGTERM or Ctrl-C: stop taking work, finish what is in hand, close, exit 0.
 * The apps close in turn (an admin port before the service whose consumers
 * its replays use). HTTP requests still in progress after `httpDrainMs` lose
 * their connection. A second signal exits at once.
 */
export function closeOnSignal(
  apps: INestApplication | readonly INestApplication[],
  { logger, output }: AppLogging,
  { httpDrainMs }: { readonly httpDrainMs: number },
): void {
  const inTurn = Array.isArray(apps) ? apps : [apps as INestApplication];
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) process.exit(130);
    closing = true;
    logger.log(`${signal}: draining`);
    setTimeout(() => {
      logger.warn(`HTTP requests still in progress after ${httpDrainMs} ms: closing them`);
      for (const app of inTurn) (app.getHttpServer() as Server).closeAllConnections();
    }, httpDrainMs).unref();
    inTurn
      .reduce<Promise<unknown>>(
        (previous, app) => previous.then(() => app.close()),
        Promise.resolve(),
      )
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
export function trustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}
