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

describe('trace context, strictly', () => {
  it('recognises only a version 00 trace context in lower-case hex, with ids and flags of their length', () => {
    const valid = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`;
    expect(isTraceparent(valid)).toBe(true);
    expect(
      [
        undefined,
        '',
        'not-a-traceparent',
        valid.toUpperCase(),
        `01${valid.slice(2)}`,
        `x${valid}`,
        `${valid}0`,
        valid.replace('-01', '-1'),
        valid.replace(`-${'b'.repeat(16)}-`, `-${'b'.repeat(15)}-`),
      ].map(isTraceparent),
    ).toEqual(Array.from({ length: 9 }, () => false));
  });

  it('keeps an unsampled cause unsampled', () => {
    const child = childTraceparent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00');
    expect(child.split('-')[3]).toBe('00');
  });

  it('draws a well-formed, fresh trace and span id every time, over many refills of its pool', () => {
    const children = Array.from({ length: 1_000 }, () => childTraceparent());
    expect(children.filter((child) => !isTraceparent(child))).toEqual([]);
    expect(new Set(children.map((child) => child.split('-')[1])).size).toBe(1_000);
    expect(new Set(children.map((child) => child.split('-')[2])).size).toBe(1_000);
  });
});
