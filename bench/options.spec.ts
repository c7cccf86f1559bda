import { describe, expect, it } from 'vitest';
import { parseOptions, UsageError } from './options.js';

describe('bench options: --nats-cluster', () => {
  it('starts one server unless a cluster is asked for', () => {
    expect(parseOptions([]).natsCluster).toBeUndefined();
  });

  it('takes the number of nodes of the cluster', () => {
    expect(parseOptions(['--nats-cluster', '3']).natsCluster).toBe(3);
  });

  it('refuses a size no stream can be replicated to, and a running system', () => {
    expect(() => parseOptions(['--nats-cluster', '1'])).toThrow(UsageError);
    expect(() => parseOptions(['--nats-cluster', '6'])).toThrow(/from 2 to 5/);
    expect(() =>
      parseOptions(['--nats-cluster', '3', '--target', 'http://h:3001', '--nats', 'nats://h:4222']),
    ).toThrow(/not with --target/);
  });
});
