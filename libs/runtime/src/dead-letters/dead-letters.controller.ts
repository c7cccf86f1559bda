import {
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  ParseIntPipe,
  Post,
} from '@nestjs/common';
import { DeadLetterNotFound, DeadLetters, type DeadLetter } from '@app/messaging';

/** The operator's view of this app's dead letters: why each failed, and a way back. */
@Controller('dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLetters) {}

  @Get()
  async list(): Promise<{ deadLetters: DeadLetter[] }> {
    return { deadLetters: await this.deadLetters.list() };
  }

  @Post(':sequence/replay')
  @HttpCode(HttpStatus.ACCEPTED)
  async replay(
    @Param('sequence', new ParseIntPipe()) sequence: number,
  ): Promise<{ replayed: DeadLetter }> {
    try {
      return { replayed: await this.deadLetters.replay(sequence) };
    } catch (error) {
      if (error instanceof DeadLetterNotFound) {
        throw new NotFoundException({ code: error.code, message: error.message });
      }
      throw error;
    }
  }

  @Post('replay')
  @HttpCode(HttpStatus.ACCEPTED)
  async replayAll(): Promise<{ replayed: number }> {
    const letters = await this.deadLetters.list();
    for (const letter of letters) await this.deadLetters.replay(letter.sequence);
    return { replayed: letters.length };
  }
}
