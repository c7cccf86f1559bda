import {
  BadRequestException,
  Body,
  Injectable,
  Param,
  Query,
  type ArgumentMetadata,
  type PipeTransform,
} from '@nestjs/common';

/** A Standard Schema (zod 4 is one), as Nest's route decorators take it. */
export type RequestSchema = NonNullable<ArgumentMetadata['schema']>;
type Issue = NonNullable<
  Awaited<ReturnType<RequestSchema['~standard']['validate']>>['issues']
>[number];

/** One thing wrong with a request, pointing at the field. */
export interface RequestIssue {
  readonly in: string;
  readonly path: string;
  readonly message: string;
}

export const REQUEST_INVALID = 'REQUEST.INVALID';

/** 400 with every problem of the request, readable by a person and a program. */
export class RequestInvalidException extends BadRequestException {
  constructor(readonly issues: readonly RequestIssue[]) {
    super({
      statusCode: 400,
      error: 'Bad Request',
      code: REQUEST_INVALID,
      message: issues
        .map((issue) => `${issue.in}${issue.path ? `.${issue.path}` : ''}: ${issue.message}`)
        .join('; '),
      issues,
    });
  }
}

/**
 * Validates a route argument against the Standard Schema (zod) attached to its
 * decorator, and passes on the parsed value; arguments without one pass untouched.
 */
@Injectable()
export class SchemaValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const schema = metadata.schema;
    if (!schema) return value;
    const result = await schema['~standard'].validate(value);
    if (!result.issues) return result.value;
    const location = metadata.type === 'custom' ? 'request' : metadata.type;
    const where = metadata.data ? `${location}.${String(metadata.data)}` : location;
    throw new RequestInvalidException(
      result.issues.map((issue) => ({ in: where, path: pathOf(issue), message: issue.message })),
    );
  }
}

function pathOf(issue: Issue): string {
  return (issue.path ?? [])
    .map((segment) => (typeof segment === 'object' ? String(segment.key) : String(segment)))
    .join('.');
}

/** The request body, validated and parsed by `schema`. */
export function ValidBody(schema: RequestSchema): ParameterDecorator {
  return Body({ schema, pipes: [SchemaValidationPipe] });
}

/** The query string as one object, validated and parsed by `schema`. */
export function ValidQuery(schema: RequestSchema): ParameterDecorator {
  return Query({ schema, pipes: [SchemaValidationPipe] });
}

/** One path parameter, validated and parsed by `schema`. */
export function ValidParam(name: string, schema: RequestSchema): ParameterDecorator {
  return Param(name, { schema, pipes: [SchemaValidationPipe] });
}
