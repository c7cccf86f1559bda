import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { CUSTOMER_BEARER } from './customer-auth/customer-auth.guard.js';

export const OPEN_API_INFO = Symbol('OPEN_API_INFO');

export interface OpenApiInfo {
  readonly title: string;
  readonly description: string;
}

export const DOCS_PATH = 'docs';

/**
 * Serves the app's OpenAPI document at /docs (UI) and /docs-json, from the
 * title and description given to `HttpApiModule.forApp`. Call before listen.
 */
export function serveOpenApi(app: INestApplication): void {
  const info = app.get<OpenApiInfo>(OPEN_API_INFO);
  const config = new DocumentBuilder()
    .setTitle(info.title)
    .setDescription(info.description)
    .setVersion('1')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          "A customer's token (RS256 or ES256; its sub is the customer id), required once the app is configured with a key.",
      },
      CUSTOMER_BEARER,
    )
    .build();
  SwaggerModule.setup(DOCS_PATH, app, () => SwaggerModule.createDocument(app, config));
}
