import { catalogTopology, PROVISIONING_USER, provisionNats } from '@app/messaging';
import { checkNats, ConfigurationError, InfrastructureUnavailable } from '@app/runtime';
import { provisioningSettings } from './settings.js';

/**
 * `npm run provision:nats`: creates the streams and consumers the catalog
 * names, and brings back to it any that differ, one line per change. Exits
 * non-zero, with one line saying why, when it cannot.
 */
try {
  const settings = provisioningSettings();
  await checkNats(settings.nats, PROVISIONING_USER);
  const report = await provisionNats(settings.nats, catalogTopology(settings.topology), (line) =>
    console.log(line),
  );
  console.log(
    report.changed === 0
      ? 'NATS streams and consumers are as the catalog says'
      : `NATS streams and consumers provisioned (${report.changed} changed)`,
  );
} catch (error) {
  // Known causes (settings, NATS unreachable or refusing the user) already read as one line.
  const known = error instanceof ConfigurationError || error instanceof InfrastructureUnavailable;
  const why = error instanceof Error ? error.message : String(error);
  console.error(known ? why : `cannot provision NATS: ${why}`);
  process.exit(1);
}
