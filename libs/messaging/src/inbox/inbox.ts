import type { TransactionConnection } from '../unit-of-work.js';

/** A message as one consumer received it: handled at most once by that consumer. */
export interface InboxEntry {
  readonly consumer: string;
  readonly messageId: string;
  readonly messageType: string;
}

/**
 * Records, in the handler's own transaction, that the consumer handled the
 * message. False when it already had: the handler must then have no effect.
 * A concurrent duplicate waits on the primary key until the first commits.
 */
export async function claimInInbox(
  connection: TransactionConnection,
  entry: InboxEntry,
): Promise<boolean> {
  // Named: prepared once per connection, as it runs for every message.
  const inserted = await connection.query({
    name: 'inbox-claim',
    text: `INSERT INTO inbox (consumer, message_id, message_type) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING`,
    values: [entry.consumer, entry.messageId, entry.messageType],
  });
  return inserted.rowCount === 1;
}

/**
 * The claims of several messages in one statement: for each entry, whether
 * this transaction is the first to handle it. An entry given twice is
 * claimed for its first occurrence only.
 */
export async function claimAllInInbox(
  connection: TransactionConnection,
  entries: readonly InboxEntry[],
): Promise<boolean[]> {
  // In key order, so that two transactions claiming overlapping entries lock them alike.
  const sorted = [...new Map(entries.map((entry) => [keyOf(entry), entry])).entries()].sort(
    ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0),
  );
  const { rows } = await connection.query<{ consumer: string; message_id: string }>({
    name: 'inbox-claim-all',
    text: `INSERT INTO inbox (consumer, message_id, message_type)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
           ON CONFLICT DO NOTHING
           RETURNING consumer, message_id`,
    values: [
      sorted.map(([, entry]) => entry.consumer),
      sorted.map(([, entry]) => entry.messageId),
      sorted.map(([, entry]) => entry.messageType),
    ],
  });
  const claimed = new Set(
    rows.map((row) => keyOf({ consumer: row.consumer, messageId: row.message_id })),
  );
  return entries.map((entry) => claimed.delete(keyOf(entry)));
}

function keyOf(entry: Pick<InboxEntry, 'consumer' | 'messageId'>): string {
  return `${entry.consumer}\u0000${entry.messageId}`;
}
