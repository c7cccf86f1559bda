import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Response } from 'express';
import { isDatabaseUnreachable } from '@app/transactions';

/** How long a client waits before it tries again while the database cannot be reached. */
const RETRY_AFTER_SECONDS = 5;

/** Domain error code (e.g. `ORDER.NOT_FOUND`) to the HTTP status it means. */
export type ErrorStatuses = Readonly<Record<string, HttpStatus>>;

/** What a domain error looks like to the edge: an Error with a stable code. */
interface CodedError extends Error {
  readonly code: string;
}

function isCoded(error: unknown): error is CodedError {
  return error instanceof Error && typeof (error as Partial<CodedError>).code === 'string';
}

/**
 * The one place an app turns errors into HTTP answers: domain codes by the
 * app's own table, HTTP exceptions as they are, an unreachable database as a
 * 503 with Retry-After, anything else as a 500 that says nothing about the inside.
 */
@Catch()
export class HttpErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly statuses: ErrorStatuses) {}

  catch(error: unknown, host: ArgumentsHost): void {
    // Message handlers have their own filter; this one only answers HTTP.
    if (host.getType() !== 'http') throw error;
    const response = host.switchToHttp().getResponse<Response>();
    if (isDatabaseUnreachable(error)) {
      // Not the client's fault, and not a bug: the same request may succeed in a moment.
      this.logger.warn(`the database cannot be reached: ${(error as Error).message}`);
      const status = HttpStatus.SERVICE_UNAVAILABLE;
      response
        .status(status)
        .setHeader('Retry-After', String(RETRY_AFTER_SECONDS))
        .json({
          statusCode: status,
          error: statusText(status),
          code: 'SERVICE.UNAVAILABLE',
          message: 'the service cannot reach its database right now: try again shortly',
        });
      return;
    }
    const { status, body } = this.toAnswer(error);
    if (status >= 500)
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    response.status(status).json(body);
  }

  private toAnswer(error: unknown): { status: number; body: object } {
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const answer = error.getResponse();
      // Nest's own exceptions (404 route, 413 from the body parser...) get the same shape as ours.
      const body = typeof answer === 'object' ? answer : { message: answer };
      return { status, body: { statusCode: status, error: statusText(status), ...body } };
    }
    if (isCoded(error)) {
      const status = this.statuses[error.code];
      if (status !== undefined) {
        return {
          status,
          body: {
            statusCode: status,
            error: statusText(status),
            code: error.code,
            message: error.message,
          },
        };
      }
    }
    const status = HttpStatus.INTERNAL_SERVER_ERROR;
    return {
      status,
      body: { statusCode: status, error: statusText(status), message: 'internal error' },
    };
  }
}

function statusText(status: number): string {
  const name = HttpStatus[status] ?? 'ERROR';
  return name
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}
