import { describe, expect, it } from 'vitest';
import { childTraceparent, isTraceparent } from './trace-context.js';

describe('trace context', () => {
  it('keeps the trace id and flags of the cause, with a new span id', () => {
    const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const child = childTraceparent(parent);

    expect(isTraceparent(child)).toBe(true);
    expect(child.split('-')[1]).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(child.split('-')[2]).not.toBe('b7ad6b7169203331');
    expect(child.split('-')[3]).toBe('01');
  });

  it('starts a new trace when there is no cause, or the cause is not a trace context', () => {
    const fresh = childTraceparent();
    const fromJunk = childTraceparent('not-a-traceparent');

    expect(isTraceparent(fresh)).toBe(true);
    expect(isTraceparent(fromJunk)).toBe(true);
    expect(fresh.split('-')[1]).not.toBe(fromJunk.split('-')[1]);
  });
});
