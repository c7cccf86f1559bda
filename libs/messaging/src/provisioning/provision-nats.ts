import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { connectionOptions, type NatsConnectionSettings } from '../jetstream/nats-connection.js';
import { PROVISIONING_USER } from '../jetstream/permissions.js';
import type { Topology } from '../jetstream/topology.js';
import { provision, type ProvisioningReport } from './provision.js';
import { parkUnroutedCommands } from './unrouted-commands.js';

/**
 * Connects (as the provisioning user where NATS has users), provisions the
 * topology, moves commands no consumer takes to the dead letters, and disconnects: what `npm run provision:nats`, `npm start` and
 * the test harnesses run before any app starts.
 */
export async function provisionNats(
  settings: NatsConnectionSettings,
  topology: Topology,
  log?: (line: string) => void,
): Promise<ProvisioningReport> {
  const connection = await connect({
    ...connectionOptions(settings, PROVISIONING_USER),
    timeout: 5_000,
  });
  try {
    const manager = await jetstreamManager(connection);
    const report = await provision(manager, topology, log);
    const lines = [...report.lines];
    const moved = await parkUnroutedCommands(manager, jetstream(connection), topology, (line) => {
      lines.push(line);
      log?.(line);
    });
    return { lines, changed: report.changed + moved };
  } finally {
    await connection.close();
  }
}
