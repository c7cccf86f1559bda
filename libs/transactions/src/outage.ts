/** Node's errors for a server that cannot be reached, or stopped answering. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
]);

/**
 * PostgreSQL's SQLSTATEs for a server that is going away, full, or not
 * answering this work in time: connection exceptions (08), shutting down or
 * starting (57P01 to 57P03), too many connections (53300), a lock not granted
 * within lock_timeout (55P03), a statement cancelled at statement_timeout
 * (57014). A locked table is an outage of that table, not a fault of the
 * message that touched it.
 */
function isServerUnavailable(code: string): boolean {
  return (
    code.startsWith('08') || ['57P01', '57P02', '57P03', '53300', '55P03', '57014'].includes(code)
  );
}

/** pg's own words for a connection it lost or could not open in time. */
const LOST_CONNECTION =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database is not connected/;

/**
 * Whether `error` says the database cannot be reached right now, rather than
 * that the work or the code is wrong: the same work may succeed once it
 * answers again, so it is an outage, not a failure of the work.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, errors } = error as {
    code?: unknown;
    message?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string' && (UNREACHABLE.has(code) || isServerUnavailable(code))) return true;
  if (typeof message === 'string' && LOST_CONNECTION.test(message)) return true;
  // Several addresses tried, each refused (localhost as ::1 and 127.0.0.1).
  return Array.isArray(errors) && errors.length > 0 && errors.every(isDatabaseUnreachable);
}
