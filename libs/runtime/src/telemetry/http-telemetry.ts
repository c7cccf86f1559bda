import { randomUUID } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { metrics, SpanKind, traceIdOf, traceparentOf, tracer } from '@app/observability';

const QUIET = /^\/(health|metrics)(\/|$)/;

/**
 * Per request: a SERVER span that continues an incoming `traceparent`, the
 * duration histogram by route template, one log line, and an `x-request-id`
 * (taken from the request when given) that causes whatever the request records.
 */
export function httpTelemetry(logger: LoggerService) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = performance.now();
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer().startSpan(
      request.method,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': request.method, 'url.path': request.path },
      },
      parent,
    );
    const requestId = validRequestId(request.headers['x-request-id']) ?? randomUUID();
    request.headers['x-request-id'] = requestId;
    response.setHeader('x-request-id', requestId);

    response.on('finish', () => {
      const route = routeOf(request);
      const status = response.statusCode;
      const seconds = (performance.now() - started) / 1_000;
      span.updateName(`${request.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': status });
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      const traceId = traceIdOf(traceparentOf(trace.setSpan(ROOT_CONTEXT, span)));
      span.end();
      metrics.httpDuration.observe(
        { method: request.method, route, status_code: String(status) },
        seconds,
      );
      if (QUIET.test(request.path)) return;
      logger.log(
        {
          msg: 'request',
          method: request.method,
          route,
          path: request.originalUrl,
          status,
          durationMs: Math.round(seconds * 1_000),
          requestId,
          traceId,
        },
        'http',
      );
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

function routeOf(request: Request): string {
  const template = (request.route as { path?: string } | undefined)?.path;
  return template ? `${request.baseUrl}${template}` : 'unmatched';
}

function validRequestId(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && /^[\w.:-]{1,128}$/.test(value) ? value : undefined;
}
