import "server-only";
import { createKeyring, type Keyring } from "@/lib/crypto";
import { env } from "@/lib/env";

/**
 * The process's keyring, derived once from SECRETS_MASTER_KEY (and _PREVIOUS during rotation).
 * HKDF runs once here, never per encryption.
 */
let cached: Keyring | undefined;

export function keyring(): Keyring {
  if (!cached) {
    const { SECRETS_MASTER_KEY, SECRETS_MASTER_KEY_PREVIOUS } = env();
    if (!SECRETS_MASTER_KEY) {
      throw new Error("SECRETS_MASTER_KEY is not set. Run `npm run setup` to create one in .env, or set it in the environment.");
    }
    cached = createKeyring({ masterKey: SECRETS_MASTER_KEY, previousKey: SECRETS_MASTER_KEY_PREVIOUS || undefined });
  }
  return cached;
}

export function resetKeyringForTests(): void {
  cached = undefined;
}
