import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

export interface ServerDescription {
  readonly host: string;
  readonly description: string;
  /** Each app connects as its own NATS user, allowed only the subjects of its role. */
  readonly appUsers?: boolean;
}

/**
 * What the documents need besides the catalog, its participants and the wire
 * contract, which they read from `@app/contracts` directly.
 */
export interface DocumentationSources {
  readonly title: string;
  readonly version: string;
  readonly servers: Readonly<Record<string, ServerDescription>>;
}

const root = resolve(import.meta.dirname, '../..');

export async function documentationSources(): Promise<DocumentationSources> {
  const pkg = JSON.parse(await readFile(resolve(root, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  return {
    title: `${pkg.name} messages`,
    version: pkg.version,
    servers: {
      local: {
        host: '127.0.0.1:4222',
        description:
          'The default `NATS_URL` of every app: nats-server with JetStream on this machine.',
      },
      compose: {
        host: 'nats:4222',
        description:
          'NATS inside the Docker Compose network (docker-compose.yml); each app connects as its own user, whose permissions `npm run generate:nats-auth` derives from the catalog.',
        appUsers: true,
      },
    },
  };
}
