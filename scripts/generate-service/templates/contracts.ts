import type { ServiceSpec } from '../service-spec.js';

/** The app's own command, one file in the catalog library like every message. */
export function contractFiles({ names, command, commandFile }: ServiceSpec) {
  return {
    [`libs/contracts/src/${names.kebab}/${commandFile}.command.ts`]: `import { z } from 'zod';
import { defineCommand, type PayloadOf } from '../message-definition.js';
import { id, text } from '../fields.js';

/**
 * Asks ${names.kebab} to record an entry for an order. participants.ts lists
 * orders as its sender, because every command needs an origin; send it from
 * orders' saga, or name the app that really sends it there. Version 1: once
 * released, change it as docs/evolving-messages.md says (an optional field
 * keeps the version; anything that breaks it is a version 2).
 */
export const ${command} = defineCommand(
  '${names.kebab}',
  '${command}',
  z.strictObject({ orderId: id, customerId: id, note: text(1, 500) }),
);
export type ${command} = PayloadOf<typeof ${command}>;
`,
  };
}
