import { beforeAll, describe } from 'vitest';
import { withCredentials } from './credentials.js';
import { registerFlows } from './register.js';
import { targetFromEnvironment, type FlowTarget } from './target.js';

// `npm run test:flows`: the target is whatever the FLOWS_* variables point at.
describe('business flows', () => {
  let target: FlowTarget = targetFromEnvironment(process.env);

  beforeAll(async () => {
    target = await withCredentials(target, process.env);
  });

  registerFlows(() => target, { smoke: process.env.FLOWS_SMOKE === '1' });
});
