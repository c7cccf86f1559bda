import type { Server } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { operatorAccess } from '@app/http-api';
import type { AdminSettings } from '../environment.js';
import { keepIdleConnectionsOpen } from '../http-app.js';
import { portProblem, type PortSetting } from '../infrastructure.js';
import { httpTelemetry } from '../telemetry/http-telemetry.js';

export interface OperatorPort {
  readonly settings: AdminSettings;
  /** The setting that moves it, for the line that says the port is taken. */
  readonly setting: PortSetting;
  /** What it serves, for the line that says who may reach it. */
  readonly serves: string;
  /** Paths that answer without the credential (an orchestrator's probes). */
  readonly open?: RegExp;
}

/** What an operator's port puts in front of its routes: telemetry, security headers, the credential. */
export function configureOperatorHttp(
  nest: NestExpressApplication,
  port: OperatorPort,
  output: LoggerService,
): void {
  nest.use(httpTelemetry(output));
  nest.use(helmet());
  nest.use(operatorAccess({ token: port.settings.token, open: port.open }));
}

/**
 * Listens where the settings say: every interface with a token, the loopback
 * interface only without one, and says which in one line.
 */
export async function listenOperatorPort(
  nest: NestExpressApplication,
  port: OperatorPort,
  logger: LoggerService,
): Promise<void> {
  const { port: number, host, token } = port.settings;
  const listening = host === undefined ? nest.listen(number) : nest.listen(number, host);
  await listening.catch((error: NodeJS.ErrnoException) => {
    throw portProblem(number, error, port.setting);
  });
  keepIdleConnectionsOpen(nest.getHttpServer() as Server);
  if (token === undefined) {
    logger.warn(
      `ADMIN_TOKEN is not set: ${port.serves} on port ${number} asks for no token and listens on ${host} only`,
    );
  } else {
    logger.log(`${port.serves} on port ${number}, behind ADMIN_TOKEN`);
  }
}
