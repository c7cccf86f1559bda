import {
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  ParseIntPipe,
  Post,
  UnprocessableEntityException,
} from '@nestjs/common';
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

/** The operator's view of this app's dead letters: why each failed, and a way back. */
@Controller('dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLetters) {}

  @Get()
  async list(): Promise<{ deadLetters: DeadLetter[] }> {
    return { deadLetters: await this.deadLetters.list() };
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
  async replayAll(): Promise<{ replayed: number; failed: ReplayFailure[] }> {
    const failed: ReplayFailure[] = [];
    let replayed = 0;
    for (const letter of await this.deadLetters.list()) {
      try {
        await this.deadLetters.replay(letter.sequence);
        replayed += 1;
      } catch (error) {
        failed.push(failureOf(letter.sequence, error));
      }
    }
    return { replayed, failed };
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
