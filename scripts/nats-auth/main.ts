import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderNatsAuthorization } from './render.js';

/** Where the authorisation is shipped: compose mounts deploy/, kustomize reads only k8s/. */
export const AUTH_CONFIG_FILES = ['deploy/nats/auth.conf', 'k8s/base/nats/auth.conf'];

const root = resolve(import.meta.dirname, '..', '..');
const config = renderNatsAuthorization();
for (const file of AUTH_CONFIG_FILES) {
  writeFileSync(resolve(root, file), config);
  console.log(`wrote ${file}`);
}
