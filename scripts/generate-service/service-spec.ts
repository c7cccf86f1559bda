import { serviceNames, type ServiceNames } from './names.js';

/**
 * What one generated service is: its names, its HTTP port, the command of its
 * own it adds to the catalog, and the catalog event it subscribes to.
 */
export interface ServiceSpec {
  readonly names: ServiceNames;
  readonly port: number;
  /** Its command, e.g. RecordLoyaltyEntry (cmd.loyalty.RecordLoyaltyEntry). */
  readonly command: string;
  /** The command's file name without suffix, e.g. record-loyalty-entry. */
  readonly commandFile: string;
  /** The existing event it subscribes to. */
  readonly event: string;
  readonly eventFile: string;
  /** Prefix of its migration's file and class, so that it runs after nothing else of its own. */
  readonly migrationTimestamp: number;
}

/**
 * OrderCompleted: an existing fact every new service can react to, whose only
 * other subscriber (notifications) no test pins down as the sole one.
 */
export const SUBSCRIBED_EVENT = 'OrderCompleted';

export function serviceSpec(name: string, port: number, migrationTimestamp: number): ServiceSpec {
  const names = serviceNames(name);
  return {
    names,
    port,
    command: `Record${names.pascal}Entry`,
    commandFile: `record-${names.kebab}-entry`,
    event: SUBSCRIBED_EVENT,
    eventFile: 'order-completed',
    migrationTimestamp,
  };
}

/** A property key as TypeScript and YAML accept it: quoted when it has a hyphen. */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`;
}
