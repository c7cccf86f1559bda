import { describe, expect, it } from 'vitest';
import { breakingChanges, describeViolation, type Rule } from './rules.js';
import type { ContractsSnapshot, MessageSnapshot, VersionFields } from './snapshot.js';

const v1: VersionFields = {
  orderId: { type: 'string:uuid', required: true },
  amount: { type: 'integer', required: true },
  note: { type: 'string', required: false },
  tier: { type: 'string', required: true, enum: ['gold', 'silver'] },
};

function message(changes: Partial<MessageSnapshot> = {}): MessageSnapshot {
  return {
    kind: 'command',
    subject: 'cmd.payments.ProcessPayment',
    sends: 1,
    senders: ['orders'],
    receivers: ['payments'],
    versions: { '1': v1 },
    ...changes,
  };
}

function catalogOf(...messages: Array<[string, MessageSnapshot]>): ContractsSnapshot {
  return { messages: Object.fromEntries(messages) };
}

const released = catalogOf(['ProcessPayment', message()]);

function withV1(fields: VersionFields): ContractsSnapshot {
  return catalogOf(['ProcessPayment', message({ versions: { '1': fields } })]);
}

function rulesBroken(current: ContractsSnapshot, before = released): Rule[] {
  return breakingChanges(before, current).map((violation) => violation.rule);
}

const { amount: _amount, ...withoutAmount } = v1;

describe('the contracts check', () => {
  it('passes the released contracts unchanged', () => {
    expect(rulesBroken(released)).toEqual([]);
  });

  it('passes additive changes: a new optional field, a widened enum, a new message', () => {
    const additive = catalogOf(
      [
        'ProcessPayment',
        message({
          versions: {
            '1': {
              ...v1,
              loyaltyTier: { type: 'string', required: false },
              tier: { ...v1.tier!, enum: ['gold', 'silver', 'bronze'] },
            },
          },
        }),
      ],
      ['CancelPayment', message({ subject: 'cmd.payments.CancelPayment' })],
    );
    expect(rulesBroken(additive)).toEqual([]);
  });

  it('refuses a field removed or renamed in a released version', () => {
    const renamed = withV1({ ...withoutAmount, total: { type: 'integer', required: false } });
    expect(breakingChanges(released, renamed).map(describeViolation)).toEqual([
      'ProcessPayment v1 amount: field-removed: removed or renamed; a breaking change needs a new version',
    ]);
  });

  it('refuses a changed type', () => {
    expect(rulesBroken(withV1({ ...v1, amount: { type: 'string', required: true } }))).toEqual([
      'type-changed',
    ]);
  });

  it('refuses an optional field made required', () => {
    expect(rulesBroken(withV1({ ...v1, note: { type: 'string', required: true } }))).toEqual([
      'made-required',
    ]);
  });

  it('refuses a required field made optional, which released consumers still require', () => {
    expect(rulesBroken(withV1({ ...v1, amount: { type: 'integer', required: false } }))).toEqual([
      'made-optional',
    ]);
  });

  it('refuses a new required field in a released version', () => {
    const added = withV1({ ...v1, loyaltyTier: { type: 'string', required: true } });
    expect(breakingChanges(released, added)).toEqual([
      expect.objectContaining({ field: 'loyaltyTier', rule: 'required-field-added' }),
    ]);
  });

  it('refuses an enum narrowed, naming the values it lost', () => {
    const narrowed = withV1({ ...v1, tier: { ...v1.tier!, enum: ['gold'] } });
    expect(breakingChanges(released, narrowed)).toEqual([
      expect.objectContaining({
        field: 'tier',
        rule: 'enum-narrowed',
        detail: expect.stringContaining('silver'),
      }),
    ]);
  });

  it('passes a breaking change made as a new version, the old one still read and sent', () => {
    const v2: VersionFields = { ...withoutAmount, price: { type: 'object', required: true } };
    const evolved = catalogOf(['ProcessPayment', message({ versions: { '1': v1, '2': v2 } })]);
    expect(rulesBroken(evolved)).toEqual([]);
  });

  it('refuses producers sending a version released consumers do not read yet', () => {
    const v2: VersionFields = { ...withoutAmount };
    const tooSoon = catalogOf([
      'ProcessPayment',
      message({ sends: 2, versions: { '1': v1, '2': v2 } }),
    ]);
    expect(breakingChanges(released, tooSoon)).toEqual([
      expect.objectContaining({ version: 2, rule: 'sends-unreleased-version' }),
    ]);
    const consumersFirst = catalogOf([
      'ProcessPayment',
      message({ sends: 1, versions: { '1': v1, '2': v2 } }),
    ]);
    expect(breakingChanges(consumersFirst, tooSoon)).toEqual([]);
  });

  it('refuses a version removed while released producers still send it, and passes it once they do not', () => {
    const v2: VersionFields = { ...withoutAmount };
    const onlyV2 = catalogOf(['ProcessPayment', message({ sends: 2, versions: { '2': v2 } })]);
    const readingBoth = (sends: number) =>
      catalogOf(['ProcessPayment', message({ sends, versions: { '1': v1, '2': v2 } })]);
    expect(breakingChanges(readingBoth(1), onlyV2)).toEqual([
      expect.objectContaining({ version: 1, rule: 'version-removed-while-sent' }),
    ]);
    expect(rulesBroken(onlyV2, readingBoth(2))).toEqual([]);
  });

  it('refuses a message removed while it is still sent', () => {
    expect(rulesBroken(catalogOf())).toEqual(['version-removed-while-sent']);
  });
});
