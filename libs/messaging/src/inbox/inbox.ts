import {
  column,
  insertInto,
  type OnceClaimer,
  type TransactionConnection,
} from '@app/transactions';

/** A message as one consumer received it: handled at most once by that consumer. */
export interface InboxEntry {
  readonly consumer: string;
  readonly messageId: string;
  readonly messageType: string;
}

/**
 * Records, in the handler's own transaction, that the consumer handled the
 * message: the claim that makes a handler run once per message. A claim that
 * finds the entry already recorded means the handler must have no effect. A
 * concurrent duplicate waits on the primary key until the first commits.
 */
export const inbox: OnceClaimer<InboxEntry> = {
  async claim(connection, entry) {
    // Named: prepared once per connection, as it runs for every message.
    const inserted = await connection.query({
      name: 'inbox-claim',
      text: `INSERT INTO inbox (consumer, message_id, message_type) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING`,
      values: [entry.consumer, entry.messageId, entry.messageType],
    });
    return inserted.rowCount === 1;
  },

  /** An entry given twice is claimed for its first occurrence only. */
  claimAll: claimAllInInbox,
};

const CLAIMS = insertInto<InboxEntry>(
  'inbox',
  {
    consumer: column('text', (entry) => entry.consumer),
    message_id: column('text', (entry) => entry.messageId),
    message_type: column('text', (entry) => entry.messageType),
  },
  { onConflict: 'DO NOTHING', returning: 'consumer, message_id' },
);

async function claimAllInInbox(
  connection: TransactionConnection,
  entries: readonly InboxEntry[],
): Promise<boolean[]> {
  // In key order, so that two transactions claiming overlapping entries lock them alike.
  const sorted = [...new Map(entries.map((entry) => [keyOf(entry), entry])).entries()].sort(
    ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0),
  );
  const { rows } = await connection.query<{ consumer: string; message_id: string }>(
    CLAIMS.statement(sorted.map(([, entry]) => entry)).query,
  );
  const claimed = new Set(
    rows.map((row) => keyOf({ consumer: row.consumer, messageId: row.message_id })),
  );
  return entries.map((entry) => claimed.delete(keyOf(entry)));
}

function keyOf(entry: Pick<InboxEntry, 'consumer' | 'messageId'>): string {
  return `${entry.consumer}\u0000${entry.messageId}`;
}
