import type { Server } from 'node:http';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  checkLogLevel,
  checkPort,
  closeOnSignal,
  ConfigurationError,
  configureHttp,
  InfrastructureUnavailable,
  keepIdleConnectionsOpen,
  portProblem,
  startLogging,
} from '@app/runtime';
import { startTracing } from '@app/observability';
import { FLOW_VIEW_APP, type FlowViewConfig } from './config.js';

/**
 * Starts the flow view as the runtime starts the services (logging, security
 * headers, graceful shutdown, one line for a bad setting or an unreachable
 * NATS), minus what it does not have: a database and JetStream consumers.
 */
export async function runFlowView(
  define: () => { module: DynamicModule; config: FlowViewConfig },
): Promise<void> {
  const logging = startLogging(FLOW_VIEW_APP);
  startTracing(FLOW_VIEW_APP);
  try {
    checkLogLevel();
    const { module, config } = define();
    await checkPort(config.PORT);
    const nest = await NestFactory.create<NestExpressApplication>(module, {
      abortOnError: false,
      logger: logging.output,
    });
    configureHttp(nest, config, logging.output);
    await nest.listen(config.PORT).catch((error: NodeJS.ErrnoException) => {
      throw portProblem(config.PORT, error);
    });
    keepIdleConnectionsOpen(nest.getHttpServer() as Server);
    logging.logger.log(`listening on port ${config.PORT}`);
    closeOnSignal(nest, logging, { httpDrainMs: config.HTTP_DRAIN_MS });
  } catch (error) {
    if (error instanceof InfrastructureUnavailable || error instanceof ConfigurationError) {
      logging.logger.error(error.message);
      logging.output.flush();
      process.exit(1);
    }
    throw error;
  }
}
