import type { ServiceSpec } from '../service-spec.js';

/** persistence/: the entity, its repository and the initial migration of the app's own database. */
export function appPersistenceFiles({ names, migrationTimestamp }: ServiceSpec) {
  const { kebab, pascal, snake } = names;
  const dir = `apps/${kebab}/src/persistence`;
  const table = `${snake}_entries`;
  const migrationClass = `${pascal}Tables${migrationTimestamp}`;
  return {
    [`${dir}/${kebab}-entry.entity.ts`]: `import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EntrySource } from '../domain/${kebab}-entry.js';

/** One per message (unique message_id): a redelivered message adds nothing. */
@Entity({ name: '${table}' })
export class ${pascal}EntryEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** Insertion order, for stable listing. */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column({ name: 'message_id', type: 'text', unique: true })
  messageId!: string;

  @Column({ type: 'text' })
  source!: EntrySource['type'];

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @Column({ type: 'text' })
  note!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
`,
    [`${dir}/${kebab}-entry.repository.ts`]: `import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { column, insertInto, UnitOfWork } from '@app/transactions';
import type { ${pascal}Entry } from '../domain/${kebab}-entry.js';
import { ${pascal}EntryEntity } from './${kebab}-entry.entity.js';

/** None for a message that has its entry already. */
const NEW_ENTRIES = insertInto<${pascal}Entry>(
  '${table}',
  {
    id: column('uuid', (entry) => entry.id),
    message_id: column('text', (entry) => entry.messageId),
    source: column('text', (entry) => entry.source),
    order_id: column('uuid', (entry) => entry.orderId),
    customer_id: column('uuid', (entry) => entry.customerId),
    note: column('text', (entry) => entry.note),
    created_at: column('timestamptz', (entry) => entry.createdAt),
  },
  { onConflict: '(message_id) DO NOTHING' },
);

/**
 * The entries a transaction adds are inserted in one statement sent with its
 * COMMIT, however many messages share it (group commit); reads of committed
 * entries use the pool.
 */
@Injectable()
export class ${pascal}EntryRepository {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly dataSource: DataSource,
  ) {}

  /** The entry, inserted when the transaction commits. */
  add(entry: ${pascal}Entry): void {
    this.unitOfWork.write(NEW_ENTRIES, entry);
  }

  /** Oldest first; of one order, of one customer, or both. */
  async find(
    { orderId, customerId }: { orderId?: string; customerId?: string },
    limit: number,
  ): Promise<${pascal}Entry[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(${pascal}EntryEntity, 'entry')
      .orderBy('entry.seq', 'ASC')
      .limit(limit);
    if (orderId) query.andWhere('entry.order_id = :orderId', { orderId });
    if (customerId) query.andWhere('entry.customer_id = :customerId', { customerId });
    const rows = await query.getMany();
    return rows.map(({ seq: _seq, ...entry }) => entry);
  }
}
`,
    [`${dir}/migrations/${migrationTimestamp}-${kebab}-tables.migration.ts`]: `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${migrationClass} implements MigrationInterface {
  name = '${migrationClass}';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(\`
      CREATE TABLE ${table} (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL UNIQUE,
        message_id text NOT NULL UNIQUE,
        source text NOT NULL,
        order_id uuid NOT NULL,
        customer_id uuid NOT NULL,
        note text NOT NULL,
        created_at timestamptz NOT NULL
      )\`);
    await runner.query('CREATE INDEX ${table}_order ON ${table} (order_id, seq)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE ${table}');
  }
}
`,
  };
}
