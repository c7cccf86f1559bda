/**
 * The `traceparent` header: W3C trace context, version 00. A 32-hex trace id
 * shared by every message of one order, a 16-hex id of the hop that sent the
 * message, and 2-hex flags (`01`: sampled).
 */
export const TRACEPARENT_PATTERN = '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$';

const TRACEPARENT = new RegExp(TRACEPARENT_PATTERN);
const TRACE_ID = { from: 3, to: 35 };
const FLAGS = { from: 53, to: 55 };

export function isTraceparent(value: string | undefined): value is string {
  return value !== undefined && TRACEPARENT.test(value);
}

/**
 * The trace context of a new hop: the trace id and flags of its cause (when
 * the cause has a valid one), a new span id; without a cause, a new trace.
 */
export function childTraceparent(parent?: string): string {
  const cause = isTraceparent(parent) ? parent : undefined;
  const traceId = cause?.slice(TRACE_ID.from, TRACE_ID.to) ?? randomHex(16);
  const flags = cause?.slice(FLAGS.from, FLAGS.to) ?? '01';
  return `00-${traceId}-${randomHex(8)}-${flags}`;
}

// Every message needs fresh ids: they are drawn from a pool refilled 4 KiB at
// a time rather than a call into the system's generator each. Web Crypto, so
// the contract runs wherever JavaScript does.
const pool = new Uint8Array(4096);
let used = pool.length;
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    globalThis.crypto.getRandomValues(pool);
    used = 0;
  }
  let hex = '';
  for (let index = used; index < used + bytes; index++) hex += HEX[pool[index]!];
  used += bytes;
  return hex;
}
