import type { ContractsSnapshot, FieldShape, MessageSnapshot, VersionFields } from './snapshot.js';

/** Each way a change can break apps still running the released contracts. */
export type Rule =
  | 'field-removed'
  | 'type-changed'
  | 'made-required'
  | 'made-optional'
  | 'required-field-added'
  | 'enum-narrowed'
  | 'version-removed-while-sent'
  | 'sends-unreleased-version';

export interface Violation {
  readonly message: string;
  readonly version: number;
  readonly field?: string;
  readonly rule: Rule;
  readonly detail: string;
}

const NEW_VERSION = 'a breaking change needs a new version';

/** One line per violation: the message, its version, the field, the rule and what to do. */
export function describeViolation({ message, version, field, rule, detail }: Violation): string {
  return `${message} v${version}${field ? ` ${field}` : ''}: ${rule}: ${detail}`;
}

function fieldChanges(
  message: string,
  version: number,
  released: VersionFields,
  current: VersionFields,
): Violation[] {
  const violations: Violation[] = [];
  const add = (field: string, rule: Rule, detail: string) =>
    violations.push({ message, version, field, rule, detail });
  for (const [path, before] of Object.entries(released)) {
    const after: FieldShape | undefined = current[path];
    if (!after) {
      add(path, 'field-removed', `removed or renamed; ${NEW_VERSION}`);
      continue;
    }
    if (after.type !== before.type) {
      add(path, 'type-changed', `${before.type} became ${after.type}; ${NEW_VERSION}`);
    }
    if (after.required && !before.required) {
      add(path, 'made-required', `released producers may leave it out; ${NEW_VERSION}`);
    }
    if (!after.required && before.required) {
      add(path, 'made-optional', `released consumers require it; ${NEW_VERSION}`);
    }
    const dropped = (before.enum ?? []).filter((value) => !after.enum?.includes(value));
    if (after.enum && dropped.length > 0) {
      add(path, 'enum-narrowed', `no longer allows ${dropped.join(', ')}; ${NEW_VERSION}`);
    }
  }
  for (const [path, after] of Object.entries(current)) {
    if (!released[path] && after.required) {
      add(
        path,
        'required-field-added',
        'released producers do not send it: make it optional, or a new version',
      );
    }
  }
  return violations;
}

function messageChanges(
  name: string,
  released: MessageSnapshot,
  current: MessageSnapshot | undefined,
): Violation[] {
  const violations: Violation[] = [];
  for (const [key, fields] of Object.entries(released.versions)) {
    const version = Number(key);
    const now = current?.versions[key];
    if (now) {
      violations.push(...fieldChanges(name, version, fields, now));
    } else if (released.sends === version && released.senders.length > 0) {
      violations.push({
        message: name,
        version,
        rule: 'version-removed-while-sent',
        detail: `${released.senders.join(', ')} still send it; remove it once they send a later version everywhere`,
      });
    }
  }
  if (current && !(String(current.sends) in released.versions)) {
    const known = Object.keys(released.versions).join(', ');
    violations.push({
      message: name,
      version: current.sends,
      rule: 'sends-unreleased-version',
      detail: `released consumers read only ${known}; release them reading it first, sending ${released.sends} meanwhile`,
    });
  }
  return violations;
}

/**
 * What in `current` breaks apps that run `released`: a released version
 * changed in a way its producers or consumers cannot follow, a version still
 * sent taken away, or producers sending a version no released consumer reads.
 * A new message, a new optional field, a new version and a widened enum pass.
 */
export function breakingChanges(
  released: ContractsSnapshot,
  current: ContractsSnapshot,
): Violation[] {
  return Object.entries(released.messages).flatMap(([name, message]) =>
    messageChanges(name, message, current.messages[name]),
  );
}
