import type { AppProcess } from './app-process.js';
import { customerAuthLine, type CustomerAuthMode } from './customer-auth.js';
import type { Service } from './infrastructure.js';
import { bold } from './output.js';
import { FLOW_VIEW, type ServiceName } from './settings.js';

export interface BannerContent {
  readonly apps: readonly AppProcess[];
  readonly adminPorts: Readonly<Record<ServiceName, number>>;
  readonly nats: Service;
  readonly postgres: Service;
  readonly watch: boolean;
  readonly customerAuth: CustomerAuthMode;
}

/** What runs where, printed once everything is ready. */
export function banner({
  apps,
  adminPorts,
  nats,
  postgres,
  watch,
  customerAuth,
}: BannerContent): string {
  const rows: string[] = [];
  for (const app of apps) {
    const base = `http://localhost:${app.port}`;
    if (app.name === FLOW_VIEW) {
      rows.push(`  ${app.name.padEnd(14)} message flow, live: ${bold(`${base}/flow`)}`);
    } else {
      const admin = `http://localhost:${adminPorts[app.name as ServiceName]}`;
      rows.push(
        `  ${app.name.padEnd(14)} ${base}   docs ${base}/docs   admin ${admin}/metrics ${admin}/dead-letters`,
      );
    }
  }
  rows.push(`  ${'NATS'.padEnd(14)} ${nats.url}   ${nats.origin}: ${nats.detail}`);
  rows.push(
    `  ${'PostgreSQL'.padEnd(14)} ${postgres.url}   ${postgres.origin}: ${postgres.detail}`,
  );
  const started = [nats, postgres].filter((service) => service.origin === 'started').length;
  const stops =
    started > 0
      ? 'Ctrl-C stops the apps, then the servers started here.'
      : 'Ctrl-C stops the apps.';
  rows.push(`  ${customerAuthLine(customerAuth)}`);
  const mode = watch ? ' Watching: a change rebuilds and restarts the apps it touches.' : '';
  return ['', bold('The platform is running'), ...rows, `  ${stops}${mode}`, ''].join('\n');
}
