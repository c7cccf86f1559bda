import type { ValueTransformer } from 'typeorm';

/** PostgreSQL bigint arrives as a string; amounts stay well inside exact integers. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
