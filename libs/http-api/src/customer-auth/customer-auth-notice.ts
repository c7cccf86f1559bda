import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CUSTOMER_TOKENS } from './customer-auth.guard.js';
import type { CustomerTokenVerifier } from './customer-token-verifier.js';

/** One line at start saying whether the customer-facing API asks who is calling. */
@Injectable()
export class CustomerAuthNotice implements OnApplicationBootstrap {
  private readonly logger = new Logger('CustomerAuth');

  constructor(@Inject(CUSTOMER_TOKENS) private readonly tokens: CustomerTokenVerifier | null) {}

  onApplicationBootstrap(): void {
    if (this.tokens) {
      this.logger.log(`customers authenticate with ${this.tokens.describe}`);
    } else {
      this.logger.warn(
        'customer authentication is off: the API is open to anyone (set AUTH_JWT_PUBLIC_KEY, AUTH_JWT_PUBLIC_KEY_FILE or AUTH_JWKS_URL)',
      );
    }
  }
}
