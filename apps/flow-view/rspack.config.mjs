// @ts-check
// Two bundles for the flow view (nest-cli.json points its build here): the
// server, on Nest's defaults, and the page's script for the browser, its
// markup and styles copied beside it.
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const page = resolve(root, 'apps/flow-view/src/page');

// import.meta, and new URL(…, import.meta.url), stay as they are rather than
// taken for assets: the server finds its page beside its bundle, and the
// page's script finds its routes beside its own URL.
const keepImportMeta = { javascript: { importMeta: false, url: false } };

/** @param {import('@rspack/core').Configuration} defaults */
const server = (defaults) => ({
  module: { ...defaults.module, parser: keepImportMeta },
});

/**
 * @param {import('@rspack/core').Configuration} defaults
 * @param {typeof import('@rspack/core')} rspack
 */
const browser = (defaults, rspack) => ({
  name: 'flow-page',
  entry: resolve(page, 'flow-page.ts'),
  target: 'web',
  devtool: false,
  output: {
    path: resolve(root, 'dist/apps/flow-view/page'),
    filename: 'flow-page.js',
    module: true,
    chunkFormat: 'module',
    library: { type: 'module' },
  },
  experiments: { outputModule: true },
  externals: [],
  externalsPresets: {},
  module: { ...defaults.module, parser: keepImportMeta },
  resolve: { extensions: ['.ts', '.js'], extensionAlias: { '.js': ['.ts', '.js'] } },
  plugins: [
    new rspack.CopyRspackPlugin({
      patterns: ['flow-page.html', 'flow-page.css'].map((file) => resolve(page, file)),
    }),
  ],
});

export default [server, browser];
