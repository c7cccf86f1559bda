import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import { runFlowView } from './bootstrap.js';
import { readFlowViewConfig } from './config.js';
import { readFlowPage } from './flow-page-files.js';
import { FlowViewModule } from './flow-view.module.js';

// Beside this bundle: the build puts the page in dist/apps/flow-view/page.
const PAGE_DIRECTORY = fileURLToPath(new URL('page/', import.meta.url));

await runFlowView(() => {
  const config = readFlowViewConfig();
  return { module: FlowViewModule.forRoot(config, readFlowPage(PAGE_DIRECTORY)), config };
});
