import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_APPS, readText, readYaml, renderOverlay, ROOT } from './deploy-support.js';
import { appContainer } from './kubernetes-support.js';

// What docs/deployment.md tells an operator about the Kubernetes manifests,
// held to the manifests and to the tools that check them.

const docs = readText('docs/deployment.md');

/**
 * The images a command of the docs loads: its lines `<command> <image>`, and
 * those inside `for app in a b c; do <command> …$app…; done`, expanded.
 */
function imagesLoadedWith(command: string): string[] {
  const images: string[] = [];
  const loop = /for app in ([^;\n]+); do\n([\s\S]*?)\ndone/g;
  for (const [, apps, body] of docs.matchAll(loop)) {
    for (const image of argumentsOf(body!, command)) {
      images.push(
        ...apps!
          .trim()
          .split(/\s+/)
          .map((app) => image.replace('$app', app)),
      );
    }
  }
  const outsideLoops = docs.replace(loop, '');
  return [...images, ...argumentsOf(outsideLoops, command)];
}

function argumentsOf(text: string, command: string): string[] {
  const line = new RegExp(`^\\s*${command.replace(/ /g, '\\s+')}\\s+(\\S+)`, 'gm');
  return [...text.matchAll(line)].map((match) => match[1]!);
}

/** The installed version of a package (its package.json is not always exported). */
function installedVersion(name: string): string | undefined {
  const require = createRequire(join(ROOT, 'package.json'));
  for (const path of require.resolve.paths(name) ?? []) {
    try {
      const manifest = JSON.parse(readFileSync(join(path, name, 'package.json'), 'utf8')) as {
        version: string;
      };
      return manifest.version;
    } catch {
      // not in this node_modules: the next one up
    }
  }
  return undefined;
}

describe('docs/deployment.md on Kubernetes', () => {
  const local = renderOverlay('local');
  const localImages = ALL_APPS.map((app) => appContainer(local, app).image);

  it.each(['kind load docker-image', 'minikube image load'])(
    'loads with `%s` exactly the images the local overlay runs, which docker compose build tags',
    (command) => {
      expect(new Set(imagesLoadedWith(command))).toEqual(new Set(localImages));
      const compose = readYaml<{ services: Record<string, { image?: string; build?: object }> }>(
        'docker-compose.yml',
      );
      for (const app of ALL_APPS) {
        expect(compose.services[app]?.build, app).toBeDefined();
        expect(compose.services[app]?.image, app).toBe(appContainer(local, app).image);
      }
    },
  );

  it('runs the loaded images in the local overlay without pulling them', () => {
    for (const app of ALL_APPS) {
      const container = appContainer(local, app) as ReturnType<typeof appContainer> & {
        imagePullPolicy?: string;
      };
      // Never pulled when present; a :latest tag would make the default Always.
      expect(['IfNotPresent', 'Never'], app).toContain(container.imagePullPolicy);
      expect(container.image, app).not.toMatch(/:latest$/);
    }
  });

  it('names the installed versions of the models the manifests are validated with', () => {
    const models = ['kubernetes-models', '@kubernetes-models/keda'];
    const optional = '@kubernetes-models/prometheus-operator';
    const installed = installedVersion(optional) === undefined ? models : [...models, optional];
    const section = docs.slice(docs.indexOf('## What is checked, and how'));
    for (const name of installed) {
      expect(section, name).toContain(`\`${name}\` ${installedVersion(name)}`);
    }
    expect(section).toMatch(/Kubernetes 1\.[0-9]+/);
  });
});
