/** A bad command line or a name that cannot be used: reported as one line, nothing written. */
export class GeneratorError extends Error {}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Every spelling of the new app's name the generated files need. */
export interface ServiceNames {
  /** `gift-cards`: the app, its folder, subjects, database, Kubernetes objects. */
  readonly kebab: string;
  /** `GiftCards`: classes. */
  readonly pascal: string;
  /** `giftCards`: variables. */
  readonly camel: string;
  /** `GIFT_CARDS`: environment variables and constants. */
  readonly constant: string;
  /** `gift_cards`: SQL identifiers. */
  readonly snake: string;
}

/**
 * The app name as written on the command line, or why it cannot be one.
 * `taken` maps other names already in use (libraries, infrastructure
 * services) to where they are used.
 */
export function validateName(
  name: string | undefined,
  existingApps: readonly string[],
  taken: ReadonlyMap<string, string> = new Map(),
): string {
  if (!name)
    throw new GeneratorError('give the new service a name: npm run generate:service -- <name>');
  if (!KEBAB.test(name))
    throw new GeneratorError(
      `"${name}" is not a lower-case kebab-case name (letters, digits and single hyphens, starting with a letter), e.g. loyalty or gift-cards`,
    );
  if (existingApps.includes(name))
    throw new GeneratorError(`an app named "${name}" exists already (apps/${name})`);
  const where = taken.get(name);
  if (where) throw new GeneratorError(`"${name}" is taken: ${where}`);
  return name;
}

export function serviceNames(kebab: string): ServiceNames {
  const words = kebab.split('-');
  const pascal = words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
  return {
    kebab,
    pascal,
    camel: pascal[0]!.toLowerCase() + pascal.slice(1),
    constant: words.join('_').toUpperCase(),
    snake: words.join('_'),
  };
}
