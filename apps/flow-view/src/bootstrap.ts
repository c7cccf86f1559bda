import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  checkLogLevel,
  checkPort,
  closeOnSignal,
  ConfigurationError,
  configureOperatorHttp,
  InfrastructureUnavailable,
  listenOperatorPort,
  operatorPortSettings,
  startLogging,
  trustProxy,
  type OperatorPort,
} from '@app/runtime';
import { startTracing } from '@app/observability';
import { FLOW_VIEW_APP, type FlowViewConfig } from './config.js';

/**
 * Starts the flow view as the runtime starts the services (logging, security
 * headers, graceful shutdown, one line for a bad setting or an unreachable
 * NATS), minus what it does not have: a database and JetStream consumers.
 * Its port is an operator's, as the apps' admin ports: behind ADMIN_TOKEN, or
 * on 127.0.0.1 only without it; the probes answer without the token.
 */
const PROBES = /^\/health\/(live|ready)$/;

export async function runFlowView(
  define: () => { module: DynamicModule; config: FlowViewConfig },
): Promise<void> {
  const logging = startLogging(FLOW_VIEW_APP);
  startTracing(FLOW_VIEW_APP);
  try {
    checkLogLevel();
    const { module, config } = define();
    const port: OperatorPort = {
      settings: operatorPortSettings(config.PORT, config.ADMIN_TOKEN),
      setting: 'PORT',
      serves: 'the flow view',
      open: PROBES,
    };
    await checkPort(config.PORT, { host: port.settings.host });
    const nest = await NestFactory.create<NestExpressApplication>(module, {
      abortOnError: false,
      logger: logging.output,
    });
    nest.set('trust proxy', trustProxy(config.HTTP_TRUST_PROXY));
    configureOperatorHttp(nest, port, logging.output);
    await listenOperatorPort(nest, port, logging.logger);
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
