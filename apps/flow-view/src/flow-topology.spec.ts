import { describe, expect, it } from 'vitest';
import { catalog, participantNames } from '@app/contracts';
import { flowTopology } from './flow-topology.js';

describe(flowTopology.name, () => {
  const topology = flowTopology();

  it('draws every participant and every message of the catalog', () => {
    expect(topology.apps).toEqual(participantNames());
    expect(topology.messages.map((message) => message.name)).toEqual(
      catalog.map((message) => message.name),
    );
  });

  it('sends a command from its sender to its one receiver', () => {
    expect(topology.messages.find((message) => message.name === 'ShipOrder')).toMatchObject({
      kind: 'command',
      from: ['orders'],
      to: ['shipping'],
    });
  });

  it('fans an event out from its publisher to every subscriber', () => {
    expect(topology.messages.find((message) => message.name === 'OrderShipped')).toMatchObject({
      kind: 'event',
      from: ['shipping'],
      to: ['orders', 'notifications'],
    });
  });
});
