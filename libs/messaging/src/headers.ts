import type { StoredHeaders } from '@app/contracts';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';

/** The contract's headers (`@app/contracts`) to and from the NATS client's representation. */
export function toNatsHeaders(values: StoredHeaders): MsgHdrs {
  const result = natsHeaders();
  for (const [name, value] of Object.entries(values)) result.set(name, value);
  return result;
}

export function fromNatsHeaders(source: MsgHdrs | undefined): StoredHeaders {
  const result: StoredHeaders = {};
  if (!source) return result;
  for (const [name, values] of source) {
    if (values[0] !== undefined) result[name] = values[0];
  }
  return result;
}
