import type { Socket } from 'node:net';
import type { PgliteEngine } from './pglite-engine.js';

const SSL_REQUEST = 80_877_103;
const GSS_REQUEST = 80_877_104;
const CANCEL_REQUEST = 80_877_102;

/**
 * One client connection to the shared PGlite session. Its database name picks
 * a schema (the apps each keep their tables apart that way), its statement and
 * portal names are made its own, and its messages run up to each Sync in one
 * turn, so connections never see each other's half-done extended queries.
 */
export class PgliteSession {
  private buffer = Buffer.alloc(0);
  private started = false;
  private schema = 'public';
  private pending: Buffer[] = [];
  private readonly prepared = new Set<string>();
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly engine: PgliteEngine,
    private readonly prefix: string,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.close());
    socket.on('error', () => socket.destroy());
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.started) {
        const message = this.nextTyped();
        if (!message) return;
        this.handleTyped(message);
      } else if (!this.nextUntyped()) return;
    }
  }

  /** Before start-up: SSL and GSS requests (declined), cancel requests (ignored), the start-up message. */
  private nextUntyped(): Buffer | undefined {
    if (this.buffer.length < 8) return undefined;
    const length = this.buffer.readInt32BE(0);
    if (this.buffer.length < length) return undefined;
    const message = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    const code = message.readInt32BE(4);
    if (code === SSL_REQUEST || code === GSS_REQUEST) this.socket.write('N');
    else if (code === CANCEL_REQUEST) this.socket.end();
    else this.startUp(message);
    return message;
  }

  private startUp(message: Buffer): void {
    this.started = true;
    const fields = message.subarray(8).toString('utf8').split('\0');
    const database = fields[fields.indexOf('database') + 1] || 'postgres';
    this.schema = database === 'postgres' ? 'public' : database;
    const schema = this.schema;
    this.enqueue(async () => {
      await this.engine.db.exec(`CREATE SCHEMA IF NOT EXISTS ${quoted(schema)}`);
      await this.execute([message]);
      // The start-up message may reset the session's settings, search_path among them.
      this.engine.forgetSchema();
    });
  }

  private nextTyped(): Buffer | undefined {
    if (this.buffer.length < 5) return undefined;
    const length = 1 + this.buffer.readInt32BE(1);
    if (this.buffer.length < length) return undefined;
    const message = Buffer.from(this.buffer.subarray(0, length));
    this.buffer = this.buffer.subarray(length);
    return message;
  }

  private handleTyped(message: Buffer): void {
    const type = String.fromCharCode(message[0] ?? 0);
    if (type === 'X') {
      this.socket.end();
      return;
    }
    this.pending.push(this.ownNames(type, message));
    // Sync ends an extended query, Q is a query of its own, H asks for what is there so far.
    if (type === 'S' || type === 'Q' || type === 'H') {
      const batch = this.pending;
      this.pending = [];
      this.enqueue(() => this.execute(batch));
    }
  }

  private enqueue(work: () => Promise<void>): void {
    this.engine
      .run(this, async () => {
        if (this.closed) return;
        await this.engine.useSchema(this.schema);
        await work();
      })
      .catch(() => this.socket.destroy());
  }

  private async execute(messages: readonly Buffer[]): Promise<void> {
    for (const message of messages) {
      await this.engine.db.execProtocolRawStream(new Uint8Array(message), {
        onRawData: (data) => {
          if (!this.socket.destroyed) this.socket.write(data);
        },
      });
    }
  }

  /** Named statements and portals live in the one shared session: each connection gets names of its own. */
  private ownNames(type: string, message: Buffer): Buffer {
    const body = message.subarray(5);
    switch (type) {
      case 'P': {
        const [name, rest] = splitName(body);
        if (name) this.prepared.add(this.own(name));
        return frame(type, [cString(this.own(name)), rest]);
      }
      case 'B': {
        const [portal, afterPortal] = splitName(body);
        const [statement, rest] = splitName(afterPortal);
        return frame(type, [cString(this.own(portal)), cString(this.own(statement)), rest]);
      }
      case 'D':
      case 'C': {
        const kind = body.subarray(0, 1);
        const [name, rest] = splitName(body.subarray(1));
        if (type === 'C' && kind.toString() === 'S') this.prepared.delete(this.own(name));
        return frame(type, [kind, cString(this.own(name)), rest]);
      }
      case 'E': {
        const [portal, rest] = splitName(body);
        return frame(type, [cString(this.own(portal)), rest]);
      }
      default:
        return message;
    }
  }

  /** The unnamed statement and portal stay unnamed: a turn runs up to Sync, so they are never shared. */
  private own(name: string): string {
    return name ? this.prefix + name : '';
  }

  /** A connection that goes away leaves no transaction open and no statements behind. */
  private close(): void {
    if (this.closed) return;
    const statements = [...this.prepared];
    void this.engine
      .run(this, async () => {
        if (this.engine.ownsTransaction(this)) await this.engine.db.exec('ROLLBACK');
        for (const name of statements) {
          await this.engine.db.exec(`DEALLOCATE ${quoted(name)}`).catch(() => undefined);
        }
      })
      .catch(() => undefined)
      .finally(() => (this.closed = true));
  }
}

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

function cString(text: string): Buffer {
  return Buffer.from(`${text}\0`);
}

function splitName(body: Buffer): [string, Buffer] {
  const end = body.indexOf(0);
  return [body.subarray(0, end).toString('utf8'), body.subarray(end + 1)];
}

function frame(type: string, parts: readonly Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}
