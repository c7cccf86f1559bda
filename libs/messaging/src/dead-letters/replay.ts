/** What a replayed dead letter came to: its effects now, or none because they happened before. */
export type ReplayOutcome = 'handled' | 'handled before';

/** A dead letter that cannot be replayed as it is (its body or headers are not valid). */
export class ReplayRejected extends Error {}
