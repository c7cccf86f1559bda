import { Inject, Injectable, type INestApplication, type OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const OPEN_API_INFO = Symbol('OPEN_API_INFO');

export interface OpenApiInfo {
  readonly title: string;
  readonly description: string;
}

export const DOCS_PATH = 'docs';

/**
 * Serves the app's OpenAPI document at /docs (UI) and /docs-json.
 *
 * `runService` (libs/runtime) creates the Nest application itself and does not
 * hand it out, so the Swagger scanner gets the three things it reads from an
 * application (modules, configuration, HTTP adapter) from the container. It runs
 * in onModuleInit: after the app's routes, before the catch-all 404.
 */
@Injectable()
export class OpenApiDocs implements OnModuleInit {
  private served = false;

  constructor(
    private readonly modules: ModulesContainer,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(OPEN_API_INFO) private readonly info: OpenApiInfo,
  ) {}

  onModuleInit(): void {
    const httpAdapter = this.adapterHost.httpAdapter;
    // The microservice half of a hybrid app has no HTTP adapter, and init hooks may run twice.
    if (this.served || !httpAdapter) return;
    this.served = true;
    const application = {
      container: { getModules: () => this.modules, isGlobalModule: () => false },
      config: new ApplicationConfig(),
      getHttpAdapter: () => httpAdapter,
      useStaticAssets: (path: string, options: object) =>
        httpAdapter.useStaticAssets?.(path, options),
    } as unknown as INestApplication;
    const config = new DocumentBuilder()
      .setTitle(this.info.title)
      .setDescription(this.info.description)
      .setVersion('1')
      .build();
    SwaggerModule.setup(DOCS_PATH, application, () =>
      SwaggerModule.createDocument(application, config),
    );
  }
}
