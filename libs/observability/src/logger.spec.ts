import { describe, expect, it } from 'vitest';
import { logLevelFrom } from './logger.js';

describe(logLevelFrom.name, () => {
  it('is info unless LOG_LEVEL names another level', () => {
    expect(logLevelFrom({})).toBe('info');
    expect(logLevelFrom({ LOG_LEVEL: 'warn' })).toBe('warn');
  });

  it('names no level for a value pino does not know, so start-up can refuse it', () => {
    expect(logLevelFrom({ LOG_LEVEL: 'loud' })).toBeUndefined();
  });
});
