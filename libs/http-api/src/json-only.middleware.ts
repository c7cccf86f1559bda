import { Injectable, UnsupportedMediaTypeException, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The JSON parser silently skips other media types, which would reach
 * validation as an empty body; the client deserves a 415 instead.
 */
@Injectable()
export class JsonOnlyMiddleware implements NestMiddleware {
  use(request: Request, _response: Response, next: NextFunction): void {
    if (WITH_BODY.has(request.method) && hasBody(request) && !request.is('application/json')) {
      throw new UnsupportedMediaTypeException({
        statusCode: 415,
        error: 'Unsupported Media Type',
        code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
        message: `expected an application/json body, got ${request.headers['content-type'] ?? 'no content type'}`,
      });
    }
    next();
  }
}

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return (
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  );
}
