import { describe, expect, it } from 'vitest';
import { Header } from '@app/contracts';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { fromNatsHeaders, toNatsHeaders } from './headers.js';

describe('headers on NATS', () => {
  it('keeps every header, its name exactly as the contract spells it', () => {
    const stored = {
      [Header.MessageId]: 'm-1',
      [Header.MessageType]: 'ProcessPayment',
      [Header.TraceParent]: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    };
    const onNats = toNatsHeaders(stored);

    expect(onNats.get('Nats-Msg-Id')).toBe('m-1');
    expect(fromNatsHeaders(onNats)).toEqual(stored);
  });

  it('reads the first value of a repeated header, and no headers as none', () => {
    const onNats = natsHeaders();
    onNats.append(Header.CausationId, 'first');
    onNats.append(Header.CausationId, 'second');

    expect(fromNatsHeaders(onNats)).toEqual({ [Header.CausationId]: 'first' });
    expect(fromNatsHeaders(undefined)).toEqual({});
  });
});
