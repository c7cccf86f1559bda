import { describe, expect, it } from 'vitest';
import { readinessOf, type DependencyCheck } from './readiness.js';

const database = (ok: boolean): DependencyCheck => ({ name: 'database', ok, required: true });
const nats = (ok: boolean): DependencyCheck => ({ name: 'nats', ok, required: false });

describe(readinessOf.name, () => {
  it('is ok when every dependency answers', () => {
    expect(readinessOf([database(true), nats(true)]).status).toBe('ok');
  });

  it('stays in service, degraded, when only NATS is down', () => {
    expect(readinessOf([database(true), nats(false)]).status).toBe('degraded');
  });

  it('is unavailable when the database is down, whatever NATS does', () => {
    expect(readinessOf([database(false), nats(true)]).status).toBe('unavailable');
    expect(readinessOf([database(false), nats(false)]).status).toBe('unavailable');
  });

  it('reports every check it was given, required or not', () => {
    const checks = [database(true), nats(false)];
    expect(readinessOf(checks).checks).toEqual(checks);
  });
});
