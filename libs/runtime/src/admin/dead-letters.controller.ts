import {
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  ParseIntPipe,
  Param,
  Post,
  UnprocessableEntityException,
} from '@nestjs/common';
import { z } from 'zod';
import { ValidQuery } from '@app/http-api';
import {
  DeadLetterNotFound,
  DeadLetterNotReplayable,
  DeadLetters,
  ReplayRejected,
  type DeadLetter,
  type ReplayOutcome,
} from '@app/messaging';

interface ReplayFailure {
  readonly sequence: number;
  readonly code: string;
  readonly message: string;
}

/** Of each body, a list shows this much; `?body=full` or GET /dead-letters/{sequence} the rest. */
const BODY_PREVIEW_BYTES = 4_096;
/** A page stops before it grows past this (it always holds one letter, whatever its size). */
const PAGE_BYTES = 1_048_576;
/** Failures a replay of all letters lists; the count says how many there were. */
const FAILURES_LISTED = 100;

const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'a sequence, as nextCursor gave it')
    .optional(),
  body: z.enum(['preview', 'full']).default('preview'),
});
type ListQuery = z.infer<typeof listQuery>;

export interface DeadLetterPage {
  readonly deadLetters: DeadLetter[];
  /** Pass as `cursor` for the next page; null on the last one. */
  readonly nextCursor: string | null;
}

/** The operator's view of this app's dead letters: why each failed, and a way back. */
@Controller('dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLetters) {}

  /** Oldest first, a page at a time, bounded in letters and in bytes. */
  @Get()
  async list(@ValidQuery(listQuery) query: ListQuery): Promise<DeadLetterPage> {
    const { letters, more } = await this.deadLetters.after(Number(query.cursor ?? 0), {
      bodyBytes: query.body === 'full' ? undefined : BODY_PREVIEW_BYTES,
      limit: query.limit,
      maxBytes: PAGE_BYTES,
    });
    return {
      deadLetters: letters,
      nextCursor: more && letters.length > 0 ? String(letters.at(-1)!.sequence) : null,
    };
  }

  /** One letter, its body whole. */
  @Get(':sequence')
  async get(@Param('sequence', new ParseIntPipe()) sequence: number): Promise<DeadLetter> {
    const letter = await this.deadLetters.get(sequence);
    if (!letter) {
      throw new NotFoundException({
        statusCode: 404,
        error: 'Not Found',
        code: 'DEAD_LETTER.NOT_FOUND',
        message: `no dead letter ${sequence} for this app`,
      });
    }
    return letter;
  }

  /** Handles the letter again now: 200 once done, 422 with the reason if it failed again (it stays). */
  @Post(':sequence/replay')
  @HttpCode(HttpStatus.OK)
  async replay(
    @Param('sequence', new ParseIntPipe()) sequence: number,
  ): Promise<{ replayed: DeadLetter; outcome: ReplayOutcome }> {
    try {
      const { letter, outcome } = await this.deadLetters.replay(sequence);
      return { replayed: letter, outcome };
    } catch (error) {
      const failure = failureOf(sequence, error);
      if (error instanceof DeadLetterNotFound) throw new NotFoundException(failure);
      throw new UnprocessableEntityException(failure);
    }
  }

  @Post('replay')
  @HttpCode(HttpStatus.OK)
  async replayAll(): Promise<{ replayed: number; failedCount: number; failed: ReplayFailure[] }> {
    const { replayed, failed } = await this.deadLetters.replayAll();
    return {
      replayed,
      failedCount: failed.length,
      failed: failed
        .slice(0, FAILURES_LISTED)
        .map(({ sequence, error }) => failureOf(sequence, error)),
    };
  }
}

function failureOf(sequence: number, error: unknown): ReplayFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof DeadLetterNotFound || error instanceof DeadLetterNotReplayable) {
    return { sequence, code: error.code, message };
  }
  if (error instanceof ReplayRejected) {
    return { sequence, code: 'DEAD_LETTER.INVALID', message };
  }
  return { sequence, code: 'DEAD_LETTER.FAILED_AGAIN', message: `failed again: ${message}` };
}
