import { createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { FlowViewConfig } from '../config.js';

/** Long enough for one request to reach orders, no longer. */
const LIFETIME = '2m';

/**
 * Where orders wants customer tokens, the demo form's orders carry one for
 * the customer each names, signed with the demo key it is given. Only for
 * demo keys: whoever holds this key can act as any customer.
 */
export class DemoCustomerTokens {
  private constructor(
    private readonly key: KeyObject,
    private readonly algorithm: 'RS256' | 'ES256',
    private readonly issuer: string,
    private readonly audience: string,
  ) {}

  /** Null when the flow view has no demo key: orders is then expected to be open. */
  static from(config: FlowViewConfig): DemoCustomerTokens | null {
    const pem = config.FLOW_VIEW_DEMO_PRIVATE_KEY;
    if (pem === undefined) return null;
    const key = createPrivateKey(pem);
    const algorithm = key.asymmetricKeyType === 'rsa' ? 'RS256' : 'ES256';
    return new DemoCustomerTokens(
      key,
      algorithm,
      config.AUTH_JWT_ISSUER!,
      config.AUTH_JWT_AUDIENCE!,
    );
  }

  sign(customerId: string): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: this.algorithm, typ: 'JWT' })
      .setSubject(customerId)
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setIssuedAt()
      .setExpirationTime(LIFETIME)
      .sign(this.key);
  }
}
