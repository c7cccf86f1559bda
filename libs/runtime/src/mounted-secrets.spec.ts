import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, withMountedFiles } from './environment.js';

describe('secrets from mounted files', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'secret-')), 'nats-password');
  writeFileSync(file, 'pS3cret\n');

  it('reads NATS_PASSWORD from the file NATS_PASSWORD_FILE names, without its final newline', () => {
    expect(withMountedFiles({ NATS_PASSWORD_FILE: file }).NATS_PASSWORD).toBe('pS3cret');
  });

  it('refuses a setting given both ways, and a file it cannot read, in one line', () => {
    expect(() => withMountedFiles({ NATS_PASSWORD: 'x', NATS_PASSWORD_FILE: file })).toThrow(
      new ConfigurationError('set NATS_PASSWORD or NATS_PASSWORD_FILE, not both'),
    );
    expect(() => withMountedFiles({ DATABASE_URL_FILE: '/nonexistent/url' })).toThrow(
      /^DATABASE_URL_FILE: cannot read \/nonexistent\/url/,
    );
  });

  it('leaves other _FILE variables alone', () => {
    expect(withMountedFiles({ LOG_FILE: '/nonexistent' })).toEqual({ LOG_FILE: '/nonexistent' });
  });
});
