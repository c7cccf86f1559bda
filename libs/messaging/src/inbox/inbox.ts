import type { TransactionConnection } from '../unit-of-work.js';

/**
 * Records, in the handler's own transaction, that `consumer` handled the
 * message. False when it already had: the handler must then have no effect.
 * A concurrent duplicate waits on the primary key until the first commits.
 */
export async function claimInInbox(
  connection: TransactionConnection,
  consumer: string,
  messageId: string,
  messageType: string,
): Promise<boolean> {
  // Named: prepared once per connection, as it runs for every message.
  const inserted = await connection.query({
    name: 'inbox-claim',
    text: `INSERT INTO inbox (consumer, message_id, message_type) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING`,
    values: [consumer, messageId, messageType],
  });
  return inserted.rowCount === 1;
}
