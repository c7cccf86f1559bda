import type { LoggerService } from '@nestjs/common';
import { pino, type Logger as Pino } from 'pino';

export type LogFormat = 'json' | 'pretty';

/**
 * Nest's logger interface over pino: one JSON object per line for machines,
 * or pino-pretty for a person at a terminal. Structured fields are passed as
 * an object message: `logger.log({ msg: 'handled', messageId })`.
 */
export class PinoLogger implements LoggerService {
  constructor(
    private readonly pino: Pino,
    private readonly destination?: { flushSync(): void },
  ) {}

  static create(app: string, format: LogFormat, level = 'info'): PinoLogger {
    const options = { name: app, level, base: { app } };
    if (format === 'pretty') {
      return new PinoLogger(
        pino({
          ...options,
          transport: {
            target: 'pino-pretty',
            options: { ignore: 'pid,hostname,app,context', messageFormat: '[{context}] {msg}' },
          },
        }),
      );
    }
    // Asynchronous: a line per message must not cost a blocking write each; lines
    // written while one write is in flight go out together.
    const destination = pino.destination({ dest: 1, sync: false });
    return new PinoLogger(pino(options, destination), destination);
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /** Before the process exits: nothing written so far is lost. */
  flush(): void {
    if (this.destination) this.destination.flushSync();
    else this.pino.flush();
  }

  private write(
    level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal',
    message: unknown,
    rest: unknown[],
  ) {
    // Nest passes the context last; an error's stack, when given, before it.
    const context = typeof rest.at(-1) === 'string' ? (rest.at(-1) as string) : undefined;
    const stack = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    if (message instanceof Error) {
      this.pino[level]({ context, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ context, ...message });
    } else {
      this.pino[level]({ context, ...(stack ? { stack } : {}) }, String(message));
    }
  }
}

/** Pretty at a terminal, JSON everywhere else, unless LOG_FORMAT says otherwise. */
export function logFormatFrom(env: NodeJS.ProcessEnv = process.env): LogFormat {
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
  return process.stdout.isTTY ? 'pretty' : 'json';
}
