import { describe, expect, it } from 'vitest';
import { text } from './fields.js';

describe('text', () => {
  const field = text(1, 20);

  it.each([
    ['a lone high surrogate', 'A\ud800'],
    ['a lone low surrogate', '\udc00B'],
    ['two high surrogates', '\ud800\ud800'],
    ['a NUL character', 'Ber\u0000lin'],
  ])('refuses %s, which PostgreSQL cannot store', (_, value) => {
    expect(field.safeParse(value).success).toBe(false);
  });

  it.each([
    ['plain text', 'Berlin'],
    ['a character outside the basic plane, as its surrogate pair', 'box 📦'],
    ['accents', 'Zürich'],
  ])('accepts %s', (_, value) => {
    expect(field.safeParse(value).success).toBe(true);
  });
});
