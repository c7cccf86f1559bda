import { randomUUID } from 'node:crypto';
import { Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import pg from 'pg';
import { HandleCommand, HandleEvent, JetStreamContext, Outbox } from '@app/messaging';
import { Transactions, UnitOfWork } from '@app/transactions';
import { ProbeHappened, RecordProbe } from './probe.messages.js';

export const PROBE_SETTINGS = Symbol('PROBE_SETTINGS');
/** Not the app's pool: a handler holding a transaction must never wait for a second connection of it. */
export const ATTEMPTS_POOL = Symbol('ATTEMPTS_POOL');
export interface ProbeSettings {
  readonly replica: string;
  readonly handlerDelayMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

@Controller()
export class ProbeCommandsController {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly outbox: Outbox,
    @Inject(PROBE_SETTINGS) private readonly settings: ProbeSettings,
    @Inject(ATTEMPTS_POOL) private readonly attempts: pg.Pool,
  ) {}

  @HandleCommand(RecordProbe)
  async record(@Payload() probe: RecordProbe, @Ctx() context: JetStreamContext): Promise<void> {
    const { messageId } = context.getMetadata();
    const attempt = context.getAttempt();
    // On a connection of its own, so that attempts that roll back are still counted.
    await this.attempts.query(
      'INSERT INTO probe_attempts (message_id, probe_id, replica, attempt) VALUES ($1, $2, $3, $4)',
      [messageId, probe.probeId, this.settings.replica, attempt],
    );
    if (this.settings.handlerDelayMs > 0) await sleep(this.settings.handlerDelayMs);
    if (probe.crashAlways) process.kill(process.pid, 'SIGKILL');
    if (probe.alwaysFail || attempt <= probe.failTimes) {
      throw new Error(`probe ${probe.probeId} failed on attempt ${attempt}`);
    }
    if (probe.failUntilFixed && (await this.isBroken(probe.probeId))) {
      throw new Error(`probe ${probe.probeId} is broken`);
    }
    await this.unitOfWork.query({
      text: 'INSERT INTO probe_effects (message_id, probe_id, message_type, replica) VALUES ($1, $2, $3, $4)',
      values: [messageId, probe.probeId, RecordProbe.name, this.settings.replica],
    });
    if (probe.emitEvent || probe.publishThenFailOnce) {
      await this.outbox.publish(ProbeHappened, { probeId: probe.probeId });
    }
    if (probe.publishThenFailOnce && attempt === 1) {
      throw new Error(`probe ${probe.probeId} failed after publishing, on attempt ${attempt}`);
    }
    if (probe.crashAfterCommit && attempt === 1) {
      this.unitOfWork.afterCommit(() => process.kill(process.pid, 'SIGKILL'));
    }
  }

  private async isBroken(probeId: string): Promise<boolean> {
    const found = await this.attempts.query('SELECT 1 FROM probe_breakages WHERE probe_id = $1', [
      probeId,
    ]);
    return (found.rowCount ?? 0) > 0;
  }
}

@Controller()
export class ProbeEventsController {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    @Inject(PROBE_SETTINGS) private readonly settings: ProbeSettings,
  ) {}

  @HandleEvent(ProbeHappened)
  async happened(@Payload() event: ProbeHappened, @Ctx() context: JetStreamContext): Promise<void> {
    if (this.settings.handlerDelayMs > 0) await sleep(this.settings.handlerDelayMs);
    await this.unitOfWork.query({
      text: 'INSERT INTO probe_effects (message_id, probe_id, message_type, replica) VALUES ($1, $2, $3, $4)',
      values: [
        context.getMetadata().messageId,
        event.probeId,
        ProbeHappened.name,
        this.settings.replica,
      ],
    });
  }
}

@Controller('probes')
export class ProbeHttpController {
  constructor(
    private readonly transactions: Transactions,
    private readonly unitOfWork: UnitOfWork,
    private readonly outbox: Outbox,
  ) {}

  /** A state change and the event it causes, in one transaction. */
  @Post(':id')
  @HttpCode(202)
  async create(@Param('id', new ParseUUIDPipe()) id: string): Promise<{ id: string }> {
    await this.transactions.run(
      async () => {
        await this.unitOfWork.query({
          text: 'INSERT INTO probe_records (id) VALUES ($1)',
          values: [id],
        });
        await this.outbox.publish(ProbeHappened, { probeId: id });
      },
      { cause: { causationId: randomUUID(), correlationId: id } },
    );
    return { id };
  }
}
