import { describe, expect, it } from 'vitest';
import {
  GeneratorError,
  serviceNames,
  validateName,
} from '../../scripts/generate-service/names.js';

const apps = ['orders', 'payments', 'shipping', 'notifications'];

describe(validateName.name, () => {
  it.each(['loyalty', 'gift-cards', 'v2-audit'])('accepts the kebab-case name %s', (name) => {
    expect(validateName(name, apps)).toBe(name);
  });

  it.each(['Loyalty', 'gift_cards', 'gift--cards', '-gift', 'gift-', '2fa', 'gift cards', 'café'])(
    'refuses %s, saying what a name must look like',
    (name) => {
      expect(() => validateName(name, apps)).toThrow(/not a lower-case kebab-case name/);
    },
  );

  it('refuses the name of an existing app', () => {
    expect(() => validateName('shipping', apps)).toThrow('an app named "shipping" exists already');
  });

  it('refuses a name a library or an infrastructure service already has, saying where', () => {
    const taken = new Map([['nats', 'docker-compose.yml has a service of that name']]);
    expect(() => validateName('nats', apps, taken)).toThrow(
      '"nats" is taken: docker-compose.yml has a service of that name',
    );
  });

  it('asks for a name when none is given', () => {
    expect(() => validateName(undefined, apps)).toThrow(GeneratorError);
  });
});

describe(serviceNames.name, () => {
  it('spells a kebab-case name for classes, variables, constants and SQL', () => {
    expect(serviceNames('gift-cards')).toEqual({
      kebab: 'gift-cards',
      pascal: 'GiftCards',
      camel: 'giftCards',
      constant: 'GIFT_CARDS',
      snake: 'gift_cards',
    });
  });
});
