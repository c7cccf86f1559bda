import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export interface OperatorAccessOptions {
  /** The operator's credential; undefined when the port is reachable from this machine only. */
  readonly token: string | undefined;
  /** Paths that answer without a credential (the probes of an orchestrator). */
  readonly open?: RegExp;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Checked on the header, not the body: a POST without a body must say it too. */
const JSON_TYPE = /^application\/json\s*(;|$)/i;
const REALM = 'realm="operator", charset="UTF-8"';

/**
 * The door of the operator's endpoints, in front of every route of an admin
 * port (and of the flow view):
 *
 * - a state-changing request must be JSON and come from no other origin:
 *   a browser cannot send such a request cross-site without a CORS preflight,
 *   which these ports never grant, so no page can make an operator's browser
 *   replay dead letters, with or without a token it remembered;
 * - with a token, the request must carry it, as `Bearer <token>` or as the
 *   password of Basic credentials (what a browser asks a person for);
 * - without one, the port listens on the loopback interface, and answers only
 *   requests addressed to a loopback name, so a page whose name resolves to
 *   127.0.0.1 (DNS rebinding) cannot talk to it as if it were its own origin.
 */
export function operatorAccess(options: OperatorAccessOptions): RequestHandler {
  const expected = options.token === undefined ? undefined : digestOf(options.token);
  return (request: Request, response: Response, next: NextFunction): void => {
    if (options.open?.test(request.path)) return next();
    if (expected === undefined && !LOOPBACK_HOSTS.has(hostNameOf(request.headers.host))) {
      return refuse(response, 403, 'ADMIN.HOST_REFUSED', {
        message: 'without ADMIN_TOKEN the admin port answers only to localhost or 127.0.0.1',
      });
    }
    if (!SAFE_METHODS.has(request.method)) {
      if (isCrossSite(request)) {
        return refuse(response, 403, 'ADMIN.CROSS_SITE', {
          message: 'a request from another origin cannot change anything here',
        });
      }
      if (!JSON_TYPE.test(request.headers['content-type'] ?? '')) {
        return refuse(response, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE', {
          message: `send Content-Type: application/json (got ${request.headers['content-type'] ?? 'none'})`,
        });
      }
    }
    if (expected !== undefined && !matches(credentialOf(request.headers.authorization), expected)) {
      response.setHeader('WWW-Authenticate', [`Bearer ${REALM}`, `Basic ${REALM}`]);
      return refuse(response, 401, 'ADMIN.UNAUTHORIZED', {
        message: 'the admin port needs Authorization: Bearer <ADMIN_TOKEN>',
      });
    }
    next();
  };
}

/** The foreign Origin of a request, or a browser's word that it is cross-site. */
function isCrossSite(request: Request): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite === 'cross-site' || fetchSite === 'same-site') return true;
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    // "null" (a sandboxed frame, a redirect) or garbage: no origin to trust.
    return true;
  }
}

/** The token a request presents: the Bearer token, or a Basic password. */
function credentialOf(authorization: string | undefined): string | undefined {
  const [scheme, value] = authorization?.trim().split(/\s+/, 2) ?? [];
  if (!scheme || !value) return undefined;
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

/** Equal-length digests, compared in constant time: neither the token nor its length leaks. */
function matches(presented: string | undefined, expected: Buffer): boolean {
  return presented !== undefined && timingSafeEqual(digestOf(presented), expected);
}

function digestOf(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function hostNameOf(host: string | undefined): string {
  if (!host) return '';
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
}

function refuse(
  response: Response,
  status: 401 | 403 | 415,
  code: string,
  { message }: { message: string },
): void {
  const error = { 401: 'Unauthorized', 403: 'Forbidden', 415: 'Unsupported Media Type' }[status];
  response.status(status).json({ statusCode: status, error, code, message });
}
