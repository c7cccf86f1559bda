import { describe, expect, it } from 'vitest';
import { mermaidStateDiagram, replaceBetweenMarkers } from './state-diagram.js';

describe(mermaidStateDiagram.name, () => {
  it('draws each transition with what it sends, and ends the states nothing leaves', () => {
    const diagram = mermaidStateDiagram(
      { to: 'OPEN', on: 'opened', emits: [{ name: 'Opened', kind: 'event' }] },
      [
        { from: 'OPEN', on: 'Close', to: 'CLOSED', emits: [{ name: 'Archive', kind: 'command' }] },
        { from: 'CLOSED', on: 'Late', to: 'CLOSED', emits: [] },
      ],
    );
    expect(diagram.split('\n')).toEqual([
      'stateDiagram-v2',
      '  [*] --> OPEN : opened / publishes Opened',
      '  OPEN --> CLOSED : Close / sends Archive',
      '  CLOSED --> CLOSED : Late',
      '  CLOSED --> [*]',
    ]);
  });
});

describe(`${mermaidStateDiagram.name} with several rows between two states`, () => {
  it('draws one edge with a line per row, which Mermaid would otherwise draw on top of each other', () => {
    const diagram = mermaidStateDiagram({ to: 'OPEN', on: 'opened', emits: [] }, [
      { from: 'OPEN', on: 'Close', to: 'CLOSED', emits: [] },
      { from: 'OPEN', on: 'Expire', to: 'CLOSED', emits: [{ name: 'Expired', kind: 'event' }] },
    ]);
    expect(diagram.split('\n')).toContain(
      '  OPEN --> CLOSED : Close<br/>Expire / publishes Expired',
    );
    expect(diagram.match(/OPEN --> CLOSED/g)).toHaveLength(1);
  });
});

describe(replaceBetweenMarkers.name, () => {
  it('replaces only what lies between the markers', () => {
    const text = 'intro\n<!-- d:begin -->\nold\n<!-- d:end -->\noutro\n';
    expect(replaceBetweenMarkers(text, 'd', 'new')).toBe(
      'intro\n<!-- d:begin -->\nnew\n<!-- d:end -->\noutro\n',
    );
  });

  it('refuses a page without its markers', () => {
    expect(() => replaceBetweenMarkers('no markers', 'd', 'new')).toThrow(/markers/);
  });
});
