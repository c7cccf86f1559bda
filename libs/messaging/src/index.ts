import { MessagingTables1764201600000 } from './migrations/1764201600000-messaging-tables.migration.js';

export * from './messaging.module.js';
export * from './messaging.options.js';
export * from './decorators.js';
export * from './headers.js';
export * from './retry-policy.js';
export { Outbox, type RecordOptions } from './outbox/outbox.js';
export {
  CommandSignatures,
  signedContent,
  type SignedFields,
  type SigningSettings,
} from './signing/command-signatures.js';
export {
  loadSigningSettings,
  publicKeyFileName,
  sendersTo,
  sendsCommands,
  SigningKeyProblem,
} from './signing/signing-keys.js';
export {
  DeadLetters,
  DeadLetterNotFound,
  DeadLetterNotReplayable,
  type DeadLetter,
} from './dead-letters/dead-letters.js';
export { ReplayRejected, type ReplayOutcome } from './dead-letters/replay.js';
export { JetStreamServer } from './jetstream/jetstream.server.js';
export { JetStreamContext } from './jetstream/jetstream.context.js';
export { NatsClient } from './jetstream/nats-client.js';
export {
  connectionOptions,
  inboxPrefixOf,
  withoutCredentials,
  type NatsConnectionSettings,
} from './jetstream/nats-connection.js';
export {
  catalogTopology,
  consumerConfig,
  deadLetterConsumer,
  streamConfigs,
  streamsPublishedBy,
  subscriptionFor,
  subscriptionsOf,
  topologyDefaults,
  topologyOf,
  type AppTopology,
  type ConsumerDefinition,
  type Subscription,
  type Topology,
  type TopologySettings,
} from './jetstream/topology.js';
export {
  describeProblems,
  NatsTopologyMissing,
  PROVISION_HINT,
  type TopologyFound,
  type TopologyProblem,
} from './jetstream/topology-check.js';
export {
  MONITORING_USER,
  monitoringPermissions,
  natsPermissions,
  permissionsOf,
  PROVISIONING_USER,
  provisioningPermissions,
  type NatsPermissions,
} from './jetstream/permissions.js';
export {
  provision,
  ProvisioningRefused,
  type ProvisioningReport,
} from './provisioning/provision.js';
export { provisionNats } from './provisioning/provision-nats.js';

/** The tables the messaging layer needs, for each app's migrations list. */
export const messagingMigrations = [MessagingTables1764201600000];
