import { randomUUID } from 'node:crypto';
import { headers } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessPayment } from '@app/contracts';
import { PrivateNatsServer } from '../../../test/support/nats-server.js';
import { Wire } from '../../../test/support/wire.js';
import { catalogTopology } from '../src/index.js';

/** Commands on subjects no consumer takes: provisioning takes them out of the work queue. */
describe('commands no consumer takes', () => {
  let nats: PrivateNatsServer;
  let wire: Wire;

  beforeAll(async () => {
    nats = await PrivateNatsServer.start();
    await nats.provision(catalogTopology());
    wire = await Wire.connect(nats.url);
  });
  afterAll(async () => {
    await wire?.close();
    await nats?.dispose();
  });

  async function publishOn(subject: string, body: Uint8Array): Promise<string> {
    const id = randomUUID();
    const values = headers();
    values.set('Nats-Msg-Id', id);
    values.set('correlation-id', randomUUID());
    await wire.jetstream.publish(subject, body, { msgID: id, headers: values });
    return id;
  }

  it('moves each to the dead letters of the app its subject names, with why, and leaves the commands someone takes', async () => {
    const encoder = new TextEncoder();
    const typo = [
      await publishOn('cmd.payments.ProcesPayment', encoder.encode('{"amount":1}')),
      await publishOn('cmd.payments.ProcesPayment', encoder.encode('{"amount":2}')),
    ];
    const nobody = await publishOn('cmd.nobody.DoSomething', encoder.encode('{}'));
    // As large as the server takes: its dead letter cannot carry the body too.
    const maxPayload = wire.connection.info?.max_payload ?? 1024 * 1024;
    const huge = await publishOn('cmd.shipping.Huge', encoder.encode('x'.repeat(maxPayload - 400)));
    const { messageId: routed } = await wire.publish(ProcessPayment, {
      orderId: randomUUID(),
      customerId: randomUUID(),
      amount: 100,
      currency: 'EUR',
    });

    const report = await nats.provision(catalogTopology());

    expect(report.lines).toEqual([
      'moved 1 command(s) on cmd.nobody.DoSomething, which no consumer takes, to the dead letters (dlq.nobody.DoSomething)',
      'moved 2 command(s) on cmd.payments.ProcesPayment, which no consumer takes, to the dead letters (dlq.payments.ProcesPayment)',
      'moved 1 command(s) on cmd.shipping.Huge, which no consumer takes, to the dead letters (dlq.shipping.Huge)',
    ]);
    const letters = await wire.storedMessages('DEADLETTERS', 'dlq.>');
    const byId = new Map(
      letters.map((letter) => [letter.headers['dead-letter-message-id'], letter]),
    );
    expect([...byId.keys()].sort()).toEqual([...typo, nobody, huge].sort());
    const first = byId.get(typo[0]!)!;
    expect(first.headers).toMatchObject({
      'dead-letter-reason':
        'no consumer takes cmd.payments.ProcesPayment: not a command of the message catalog (moved by provisioning)',
      'dead-letter-consumer': 'payments-ProcesPayment',
      'dead-letter-subject': 'cmd.payments.ProcesPayment',
    });
    expect(first.body).toBe('{"amount":1}');
    expect(byId.get(huge)?.headers['dead-letter-body-left-out']).toBe(String(maxPayload - 400));
    const left = await wire.storedMessages('COMMANDS', 'cmd.>');
    expect(left.map((message) => message.headers['Nats-Msg-Id'])).toEqual([routed]);

    // Nothing left to move: provisioning again changes nothing.
    expect(await nats.provision(catalogTopology())).toEqual({ lines: [], changed: 0 });
  });
});
