import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedDocs } from '../generate-docs.js';

const root = resolve(import.meta.dirname, '../..');

describe('generated documentation', () => {
  it('is committed exactly as the catalog, its participants and the saga generate it now', async () => {
    for (const [path, expected] of Object.entries(await generatedDocs())) {
      const committed = await readFile(resolve(root, path), 'utf8').catch(() => '');
      expect(committed, `${path} is out of date: run \`npm run docs:generate\``).toBe(expected);
    }
  });
});
