import { ALL_COMMANDS, DEAD_LETTER_SUBJECT_PREFIX, Streams } from '@app/contracts';
import {
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  type MsgRequest,
} from '@nats-io/jetstream';
import { letterOf, publishLetter } from '../dead-letters/letter.js';
import { fromNatsHeaders } from '../headers.js';
import type { Topology } from '../jetstream/topology.js';

/**
 * Commands on a subject no consumer of the catalog takes (a typo, a forged
 * subject, a command removed from the catalog) would wait in the COMMANDS work
 * queue forever, unseen. Provisioning moves each to the dead letters of the
 * app its subject names, `cmd.<app>.<Name>` to `dlq.<app>.<Name>`, with why:
 * that app's operator sees it, and it names the consumer `<app>-<Name>` that
 * would take it, so a command the catalog gains later can be replayed by the
 * release that handles it. Returns how many it moved.
 */
export async function parkUnroutedCommands(
  manager: JetStreamManager,
  jetstream: JetStreamClient,
  topology: Topology,
  report: (line: string) => void,
): Promise<number> {
  const routed = new Set(
    topology.consumers
      .filter((consumer) => consumer.stream === Streams.Commands)
      .map((consumer) => consumer.config.filter_subject),
  );
  const info = await manager.streams
    .info(Streams.Commands, { subjects_filter: ALL_COMMANDS })
    .catch((error: unknown) => {
      if (error instanceof JetStreamApiError && error.status === 404) return undefined;
      throw error;
    });
  let moved = 0;
  for (const subject of Object.keys(info?.state.subjects ?? {}).sort()) {
    if (routed.has(subject)) continue;
    const count = await parkAll(manager, jetstream, subject);
    report(
      `moved ${count} command(s) on ${subject}, which no consumer takes, to the dead letters (${letterSubjectOf(subject)})`,
    );
    moved += count;
  }
  return moved;
}

async function parkAll(
  manager: JetStreamManager,
  jetstream: JetStreamClient,
  subject: string,
): Promise<number> {
  const [, app = '', ...name] = subject.split('.');
  const consumer = `${app}-${name.join('.')}`;
  const reason = `no consumer takes ${subject}: not a command of the message catalog (moved by provisioning)`;
  let parked = 0;
  for (let seq = 1; ;) {
    // The server takes next_by_subj (2.9 and newer); the client's type leaves it out.
    const request = { next_by_subj: subject, seq } as unknown as MsgRequest;
    const message = await manager.streams.getMessage(Streams.Commands, request);
    if (!message) return parked;
    const givenUp = {
      subject,
      seq: message.seq,
      stream: Streams.Commands,
      headers: fromNatsHeaders(message.header),
      data: message.data,
      deliveries: 0,
    };
    // Stored first, then removed: a crash between the two leaves a copy, never nothing.
    await publishLetter(jetstream, letterOf(givenUp, letterSubjectOf(subject), consumer, reason));
    await manager.streams.deleteMessage(Streams.Commands, message.seq, false);
    parked += 1;
    seq = message.seq + 1;
  }
}

function letterSubjectOf(subject: string): string {
  return [DEAD_LETTER_SUBJECT_PREFIX, ...subject.split('.').slice(1)].join('.');
}
