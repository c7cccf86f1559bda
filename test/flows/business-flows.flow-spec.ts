import { describe } from 'vitest';
import { registerFlows } from './register.js';
import { targetFromEnvironment } from './target.js';

// `npm run test:flows`: the target is whatever the FLOWS_* variables point at.
const target = targetFromEnvironment(process.env);

describe('business flows', () => {
  registerFlows(() => target, { smoke: process.env.FLOWS_SMOKE === '1' });
});
