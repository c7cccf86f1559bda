import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AUTH_CONFIG_FILES } from './files.js';
import { renderNatsAuthorization } from './render.js';

const root = resolve(import.meta.dirname, '..', '..');
const config = renderNatsAuthorization();
for (const file of AUTH_CONFIG_FILES) {
  writeFileSync(resolve(root, file), config);
  console.log(`wrote ${file}`);
}
