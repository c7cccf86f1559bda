import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';

/** The one shape of every error answer, as OpenAPI documents it. */
export const errorResponse = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  code: z.string().optional().describe('stable domain error code, e.g. ORDER.NOT_FOUND'),
  message: z.string().describe('what is wrong, readable by a person'),
  issues: z
    .array(z.object({ in: z.string(), path: z.string(), message: z.string() }))
    .optional()
    .describe('one entry per invalid field (400 only)'),
});

/** Documents error answers of a route: status and when it happens. */
export function ApiErrors(errors: Record<number, string>): MethodDecorator {
  return applyDecorators(
    ...Object.entries(errors).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, standardSchema: errorResponse }),
    ),
  );
}
