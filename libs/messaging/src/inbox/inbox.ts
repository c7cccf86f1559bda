import type { EntityManager } from 'typeorm';

/**
 * Records, in the handler's own transaction, that `consumer` handled the
 * message. False when it already had: the handler must then have no effect.
 * A concurrent duplicate waits on the primary key until the first commits.
 */
export async function claimInInbox(
  manager: EntityManager,
  consumer: string,
  messageId: string,
  messageType: string,
): Promise<boolean> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO inbox (consumer, message_id, message_type) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING RETURNING 1`,
    [consumer, messageId, messageType],
  );
  return inserted.length === 1;
}
