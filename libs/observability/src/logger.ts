import type { LoggerService } from '@nestjs/common';
import { pino, type Logger as Pino } from 'pino';

export type LogFormat = 'json' | 'pretty';

const FLUSH_EVERY_MS = 200;

/**
 * Nest's logger interface over pino: one JSON object per line for machines,
 * or pino-pretty for a person at a terminal. Structured fields are passed as
 * an object message: `logger.log({ msg: 'handled', messageId })`.
 */
export class PinoLogger implements LoggerService {
  private written = false;

  constructor(
    private readonly pino: Pino,
    private readonly destination?: { flush(): void; flushSync(): void },
  ) {}

  static create(app: string, format: LogFormat, level: LogLevel = 'info'): PinoLogger {
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
    // Buffered: a line per message must not cost a write, and a wake-up of
    // whatever reads the output, each. Lines leave in 8 KiB chunks, at the
    // latest FLUSH_EVERY_MS after they were logged, and all of them at exit.
    const destination = pino.destination({ dest: 1, sync: false, minLength: 8 * 1024 });
    const logger = new PinoLogger(pino(options, destination), destination);
    setInterval(() => logger.flushSoon(), FLUSH_EVERY_MS).unref();
    process.once('exit', () => logger.flush());
    return logger;
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

  /** Writes out the buffered lines, if any, without waiting. */
  flushSoon(): void {
    if (!this.written || !this.destination) return;
    this.written = false;
    this.destination.flush();
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
    this.written = true;
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

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * `LOG_LEVEL` (default info; `warn` drops the line per handled message and per
 * request); undefined when it names no level.
 */
export function logLevelFrom(env: NodeJS.ProcessEnv = process.env): LogLevel | undefined {
  const level = env.LOG_LEVEL ?? 'info';
  return (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : undefined;
}

/** Pretty at a terminal, JSON everywhere else, unless LOG_FORMAT says otherwise. */
export function logFormatFrom(env: NodeJS.ProcessEnv = process.env): LogFormat {
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
  return process.stdout.isTTY ? 'pretty' : 'json';
}
